package org.apache.http.message;
public class BasicNameValuePair implements org.apache.http.NameValuePair {
  private final String name, value;
  public BasicNameValuePair(String name, String value) { this.name = name; this.value = value; }
  public String getName() { return name; }
  public String getValue() { return value; }
}
