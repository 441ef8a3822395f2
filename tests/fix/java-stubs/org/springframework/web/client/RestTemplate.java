package org.springframework.web.client;
public class RestTemplate {
  public <T> T getForObject(String url, Class<T> responseType, Object... uriVariables) { return null; }
}
