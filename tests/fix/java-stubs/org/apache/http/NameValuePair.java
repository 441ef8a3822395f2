package org.apache.http;
public interface NameValuePair { String getName(); String getValue(); }
