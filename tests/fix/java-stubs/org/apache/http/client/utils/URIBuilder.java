package org.apache.http.client.utils;
public class URIBuilder {
  public URIBuilder(String uri) throws java.net.URISyntaxException {}
  public URIBuilder addParameter(String name, String value) { return this; }
  public URIBuilder setParameter(String name, String value) { return this; }
  public java.net.URI build() throws java.net.URISyntaxException { return null; }
}
