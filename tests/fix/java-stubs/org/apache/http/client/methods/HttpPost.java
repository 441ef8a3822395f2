package org.apache.http.client.methods;
public class HttpPost extends HttpRequestBase {
  public HttpPost(String uri) {}
  public HttpPost(java.net.URI uri) {}
  public void setEntity(org.apache.http.HttpEntity entity) {}
}
