package org.apache.http.client.methods;
public class HttpPut extends HttpRequestBase {
  public HttpPut(String uri) {}
  public HttpPut(java.net.URI uri) {}
  public void setEntity(org.apache.http.HttpEntity entity) {}
}
