package org.apache.http.client.methods;
public interface CloseableHttpResponse extends java.io.Closeable { org.apache.http.StatusLine getStatusLine(); }
