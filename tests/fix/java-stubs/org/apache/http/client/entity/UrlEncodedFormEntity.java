package org.apache.http.client.entity;
public class UrlEncodedFormEntity implements org.apache.http.HttpEntity {
  public UrlEncodedFormEntity(java.util.List<? extends org.apache.http.NameValuePair> params) {}
  public UrlEncodedFormEntity(java.util.List<? extends org.apache.http.NameValuePair> params, String charset) {}
}
