package org.apache.http.client.methods;
public abstract class HttpRequestBase {
  public void setHeader(String name, String value) {}
  public void addHeader(String name, String value) {}
}
