package okhttp3;
public class OkHttpClient { public Call newCall(Request request) { return null; } }
