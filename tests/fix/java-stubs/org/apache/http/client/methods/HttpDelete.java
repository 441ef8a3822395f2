package org.apache.http.client.methods;
public class HttpDelete extends HttpRequestBase {
  public HttpDelete(String uri) {}
  public HttpDelete(java.net.URI uri) {}
}
