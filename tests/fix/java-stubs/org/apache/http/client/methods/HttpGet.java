package org.apache.http.client.methods;
public class HttpGet extends HttpRequestBase {
  public HttpGet(String uri) {}
  public HttpGet(java.net.URI uri) {}
}
