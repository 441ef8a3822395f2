package org.apache.http;
public interface HttpEntity {}
