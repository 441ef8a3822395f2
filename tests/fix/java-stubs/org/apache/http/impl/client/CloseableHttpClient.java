package org.apache.http.impl.client;
public abstract class CloseableHttpClient {
  public abstract org.apache.http.client.methods.CloseableHttpResponse execute(
      org.apache.http.client.methods.HttpRequestBase request) throws java.io.IOException;
}
