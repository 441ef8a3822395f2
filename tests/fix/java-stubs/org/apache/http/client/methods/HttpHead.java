package org.apache.http.client.methods;
public class HttpHead extends HttpRequestBase {
  public HttpHead(String uri) {}
  public HttpHead(java.net.URI uri) {}
}
