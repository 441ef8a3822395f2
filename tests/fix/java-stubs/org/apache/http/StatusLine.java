package org.apache.http;
public interface StatusLine { int getStatusCode(); }
