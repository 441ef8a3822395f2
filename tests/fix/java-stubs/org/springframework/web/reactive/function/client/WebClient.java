package org.springframework.web.reactive.function.client;
public interface WebClient {
  RequestHeadersUriSpec<?> get();
  RequestHeadersUriSpec<?> delete();
  RequestBodyUriSpec post();
  RequestBodyUriSpec put();
  RequestBodyUriSpec patch();
  static WebClient create() { return null; }
  static WebClient create(String baseUrl) { return null; }
  interface UriSpec<S extends RequestHeadersSpec<?>> { S uri(String uri, Object... uriVariables); }
  interface RequestHeadersSpec<S extends RequestHeadersSpec<S>> {
    S header(String headerName, String... headerValues);
    ResponseSpec retrieve();
  }
  interface RequestHeadersUriSpec<S extends RequestHeadersSpec<S>> extends UriSpec<S>, RequestHeadersSpec<S> {}
  interface RequestBodySpec extends RequestHeadersSpec<RequestBodySpec> { RequestHeadersSpec<?> bodyValue(Object body); }
  interface RequestBodyUriSpec extends RequestBodySpec, RequestHeadersUriSpec<RequestBodySpec> {}
  interface ResponseSpec { <T> Object bodyToMono(Class<T> elementClass); }
}
