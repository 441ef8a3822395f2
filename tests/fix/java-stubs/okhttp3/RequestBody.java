package okhttp3;
public abstract class RequestBody {}
