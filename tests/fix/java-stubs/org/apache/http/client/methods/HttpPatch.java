package org.apache.http.client.methods;
public class HttpPatch extends HttpRequestBase {
  public HttpPatch(String uri) {}
  public HttpPatch(java.net.URI uri) {}
  public void setEntity(org.apache.http.HttpEntity entity) {}
}
