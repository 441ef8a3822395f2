# frozen_string_literal: true

require "digest"
require "fileutils"
require "json"
require "monitor"
require "net/http"
require "openssl"
require "securerandom"
require "uri"

# Zoho OAuth 2.0 access tokens from a refresh token (standard library only).
#
#   require_relative "zoho_oauth"
#   zoho = @@NAMESPACE@@::Client.new   # ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, ZOHO_DC
#                                      # (or @@NAMESPACE@@.shared: one Client per process)
#   response = zoho.with_retry_on_invalid_token do |authorization|
#     uri = URI("#{zoho.api_domain || 'https://www.zohoapis.com'}/crm/v2/Leads")
#     Net::HTTP.get_response(uri, { "Authorization" => authorization })
#   end
#
# Tokens are refreshed when absent or within +margin+ seconds (default 300) of expiry; concurrent
# threads share one refresh. With ZOHO_TOKEN_CACHE (or +cache_file:+) the token is also kept in a
# 0600 JSON file shared by processes, so short-lived scripts do not hit Zoho's refresh throttle.
# No token, client secret or refresh token ever appears in an error message.
module @@NAMESPACE@@
  # Accounts server of each Zoho data centre (ZOHO_DC).
  DATA_CENTRES = {
    "us" => "https://accounts.zoho.com", "eu" => "https://accounts.zoho.eu", "in" => "https://accounts.zoho.in",
    "au" => "https://accounts.zoho.com.au", "cn" => "https://accounts.zoho.com.cn", "jp" => "https://accounts.zoho.jp",
    "ca" => "https://accounts.zohocloud.ca", "sa" => "https://accounts.zoho.sa", "uk" => "https://accounts.zoho.uk",
    "ae" => "https://accounts.zoho.ae"
  }.freeze

  # Base class of every error raised here; +code+ is a stable machine-readable name.
  class Error < StandardError
    attr_reader :code

    def initialize(message = nil, code: nil)
      super(message)
      @code = code
    end
  end
  # Missing or invalid configuration (names the variable, never its value).
  class ConfigurationError < Error; end
  # +invalid_code+: the refresh token is invalid or revoked. Not retried.
  class InvalidGrantError < Error; end
  # +invalid_client+: unknown client id in this data centre. Not retried.
  class InvalidClientError < Error; end
  # +invalid_client_secret+: wrong client secret. Not retried.
  class InvalidClientSecretError < Error; end
  # Zoho's "Access Denied" throttle (too many refreshes). Not retried: back off.
  class ThrottledError < Error; end
  # Network errors or 5xx answers that persisted through every attempt.
  class TransientError < Error; end
  # Any other answer without an access token.
  class TokenError < Error; end

  # Refreshes and caches one Zoho access token. Thread-safe.
  class Client
    # A token answer whose body ended before its Content-Length: the connection dropped.
    class TruncatedResponse < EOFError; end
    private_constant :TruncatedResponse

    # Network failures retried like 5xx answers. Named one by one for the reader; SystemCallError,
    # IOError and Timeout::Error cover what a platform or Ruby version raises instead.
    NETWORK_ERRORS = [EOFError, TruncatedResponse, Net::OpenTimeout, Net::ReadTimeout, Net::WriteTimeout,
                      Errno::ECONNRESET, Errno::ECONNREFUSED, Errno::ECONNABORTED, Errno::EPIPE, Errno::ETIMEDOUT,
                      SocketError, IOError, SystemCallError, Timeout::Error, Net::HTTPBadResponse,
                      Net::HTTPHeaderSyntaxError, OpenSSL::SSL::SSLError].freeze

    attr_reader :client_id, :accounts_url, :cache_file, :margin, :max_attempts, :retry_base_ms, :timeout

    # Every keyword defaults to its environment variable:
    # client_id (ZOHO_CLIENT_ID), client_secret (ZOHO_CLIENT_SECRET), refresh_token (ZOHO_REFRESH_TOKEN),
    # dc (ZOHO_DC: us, eu, in, au, cn, jp, ca, sa, uk, ae), accounts_url (ZOHO_ACCOUNTS_URL, wins over dc),
    # cache_file (ZOHO_TOKEN_CACHE; false disables it), retry_base_ms (ZOHO_RETRY_BASE_MS, default 200).
    # margin: refresh this many seconds before expiry; max_attempts: on network errors and 5xx;
    # timeout: seconds per token request; clock: wall clock in epoch seconds (tests).
    # Raises ConfigurationError when a required setting is missing.
    def initialize(client_id: nil, client_secret: nil, refresh_token: nil, dc: nil, accounts_url: nil,
                   cache_file: nil, margin: 300, max_attempts: 3, retry_base_ms: nil, timeout: 30,
                   clock: -> { Time.now.to_f }, env: ENV)
      @client_id = setting(client_id, "ZOHO_CLIENT_ID", env)
      @secret = setting(client_secret, "ZOHO_CLIENT_SECRET", env)
      @refresh_token = setting(refresh_token, "ZOHO_REFRESH_TOKEN", env)
      { "ZOHO_CLIENT_ID" => @client_id, "ZOHO_CLIENT_SECRET" => @secret, "ZOHO_REFRESH_TOKEN" => @refresh_token }
        .each { |name, value| raise ConfigurationError.new("#{name} is not set", code: "missing_configuration") unless value }
      @accounts_url = (setting(accounts_url, "ZOHO_ACCOUNTS_URL", env) || data_centre(setting(dc, "ZOHO_DC", env))).sub(%r{/+\z}, "")
      @cache_file = cache_file == false ? nil : setting(cache_file, "ZOHO_TOKEN_CACHE", env)
      @margin = margin
      @max_attempts = [max_attempts, 1].max
      @retry_base_ms = Float(retry_base_ms || setting(nil, "ZOHO_RETRY_BASE_MS", env) || 200, exception: false) || 200.0
      @timeout = timeout
      @clock = clock
      @refresh_token_hash = Digest::SHA256.hexdigest(@refresh_token)
      @monitor = Monitor.new
      @token = nil    # { access_token:, expires_at: (epoch seconds), api_domain: }
      @rejected = nil # access token reported invalid by #invalidate
    end

    # A valid access token, refreshed if absent or within +margin+ of expiry.
    def access_token
      token = @token
      return token[:access_token] if fresh?(token)

      # Single flight: one thread refreshes, the others wait here and then reuse its token.
      @monitor.synchronize do
        @token = refresh unless fresh?(@token)
        @token[:access_token]
      end
    end

    # The Authorization header value: "Zoho-oauthtoken <token>".
    def authorization_header
      "Zoho-oauthtoken #{access_token}"
    end

    # +api_domain+ from the last token response (e.g. https://www.zohoapis.eu), or nil.
    def api_domain
      @token && @token[:api_domain]
    end

    # Forgets the current token (call after a 401 INVALID_TOKEN), also ignoring it in the cache file.
    # Pass the rejected token or header so a newer token refreshed meanwhile is kept.
    def invalidate(token_or_header = nil)
      @monitor.synchronize do
        current = @token && @token[:access_token]
        rejected = token_or_header ? token_or_header.to_s.delete_prefix("Zoho-oauthtoken ") : current
        @rejected = rejected if rejected
        @token = nil if current && current == rejected
      end
    end

    # Yields the Authorization header; if the block returns or raises something reporting HTTP 401
    # (a Net::HTTPResponse, an object with +code+/+status+ 401, an error with such a +response+),
    # invalidates the token and yields once more.
    def with_retry_on_invalid_token
      header = authorization_header
      begin
        result = yield header
        return result unless unauthorized?(result)
      rescue StandardError => e
        raise unless unauthorized?(e) || unauthorized?(e.respond_to?(:response) && e.response)
      end
      invalidate(header)
      yield authorization_header
    end

    def inspect
      "#<#{self.class.name} client_id=#{@client_id.inspect} accounts_url=#{@accounts_url.inspect}>"
    end
    alias to_s inspect

    private

    def setting(value, name, env)
      value = env[name] if value.nil? || value == ""
      value.nil? || value == "" ? nil : value.to_s
    end

    def data_centre(dc)
      DATA_CENTRES.fetch((dc || "us").downcase) do
        raise ConfigurationError.new("ZOHO_DC must be one of #{DATA_CENTRES.keys.join(', ')}", code: "invalid_configuration")
      end
    end

    def unauthorized?(value)
      return false unless value
      return true if value.is_a?(Net::HTTPUnauthorized)

      %i[code status http_code].any? { |m| value.respond_to?(m) && value.public_send(m).to_s == "401" }
    end

    def fresh?(token)
      !token.nil? && token[:access_token] != @rejected && @clock.call < token[:expires_at] - @margin
    end

    # A fresh token: from the cache file if another process refreshed, else from Zoho.
    def refresh
      return request_token unless @cache_file

      cached = read_cache
      return cached if cached

      FileUtils.mkdir_p(File.dirname(@cache_file), mode: 0o700)
      File.open("#{@cache_file}.lock", File::RDWR | File::CREAT, 0o600) do |lock|
        lock.flock(File::LOCK_EX) # held while re-reading the cache and refreshing
        read_cache || write_cache(request_token)
      end
    end

    # POSTs the refresh grant, retrying network errors and 5xx with exponential backoff and full jitter.
    def request_token
      uri = URI("#{@accounts_url}/oauth/v2/token")
      last = nil
      @max_attempts.times do |attempt|
        sleep(rand * @retry_base_ms * (2**(attempt - 1)) / 1000.0) if attempt.positive?
        begin
          response = post_form(uri)
        rescue *NETWORK_ERRORS => e
          last = e.is_a?(TruncatedResponse) ? e.message : "network error #{e.class.name}"
          next
        end
        status = response.code.to_i
        if status >= 500
          last = "HTTP #{status}"
          next
        end
        return parse_token_response(status, response.body.to_s)
      end
      raise TransientError.new("Zoho token request failed after #{@max_attempts} attempts (last: #{last}); try again later",
                               code: "transient")
    end

    # One POST of the refresh grant. Raises TruncatedResponse when the body is shorter than its
    # Content-Length: net/http hands such a body over as complete (it ignores the early EOF unless
    # told otherwise, and only net/http 0.3+, Ruby 3.2+, can be told), so it is checked here.
    def post_form(uri)
      # identity: the body's length can be checked against Content-Length (no transparent gunzip).
      request = Net::HTTP::Post.new(uri, "Accept" => "application/json", "Accept-Encoding" => "identity")
      request.set_form_data("grant_type" => "refresh_token", "client_id" => @client_id,
                            "client_secret" => @secret, "refresh_token" => @refresh_token)
      response = Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == "https", open_timeout: @timeout,
                                                     read_timeout: @timeout, write_timeout: @timeout) do |http|
        http.request(request)
      end
      expected = response.chunked? ? nil : response.content_length # chunked: net/http raises EOFError
      received = response.body.to_s.bytesize
      if expected && received < expected && response.class.body_permitted?
        raise TruncatedResponse, "connection dropped after #{received} of #{expected} body bytes (HTTP #{response.code})"
      end
      response
    end

    def parse_token_response(status, body)
      json = begin
        JSON.parse(body)
      rescue JSON::ParserError
        nil
      end
      raise TokenError.new("Zoho token endpoint answered HTTP #{status} without JSON", code: "unexpected_response") unless json.is_a?(Hash)

      if json["access_token"].is_a?(String) && !json["access_token"].empty?
        expires_in = Float(json["expires_in"], exception: false)
        seconds = if expires_in.nil? then 3600.0
                  elsif json.key?("expires_in_sec") then expires_in / 1000.0 # older Zoho: milliseconds
                  else expires_in
                  end
        return { access_token: json["access_token"], expires_at: @clock.call + seconds,
                 api_domain: json["api_domain"].is_a?(String) ? json["api_domain"] : nil }
      end
      error = json["error"].is_a?(String) ? json["error"] : ""
      case error
      when "invalid_code"
        raise InvalidGrantError.new("Zoho: refresh token is invalid or revoked: generate a new one (self-client or consent flow) " \
                                    "and set ZOHO_REFRESH_TOKEN", code: error)
      when "invalid_client"
        raise InvalidClientError.new("Zoho: client id unknown in this data centre: check ZOHO_CLIENT_ID / ZOHO_DC", code: error)
      when "invalid_client_secret"
        raise InvalidClientSecretError.new("Zoho: client secret rejected: check ZOHO_CLIENT_SECRET", code: error)
      end
      if error == "Access Denied" || (status == 400 && json["status"] == "failure")
        raise ThrottledError.new("Zoho is throttling token requests (Access Denied: more than 10 refreshes in 10 minutes): " \
                                 "back off for several minutes, reuse access tokens and set ZOHO_TOKEN_CACHE for " \
                                 "short-lived processes", code: "throttled")
      end
      name = error.match?(/\A[\w .-]{1,64}\z/) ? " \"#{error}\"" : ""
      raise TokenError.new("Zoho token endpoint answered HTTP #{status} with error#{name} and no access token",
                           code: error.empty? ? "no_access_token" : error)
    end

    # The cache file's token if it belongs to this configuration and is fresh, else nil.
    def read_cache
      entry = JSON.parse(File.read(@cache_file))
      return nil unless entry.is_a?(Hash) && entry["client_id"] == @client_id &&
                        entry["refresh_token_hash"] == @refresh_token_hash && entry["access_token"].is_a?(String)

      token = { access_token: entry["access_token"], expires_at: entry["expires_at"].to_f, api_domain: entry["api_domain"] }
      fresh?(token) ? token : nil
    rescue SystemCallError, JSON::ParserError
      nil
    end

    # Writes the cache atomically (temp file + rename), mode 0600; returns +token+.
    def write_cache(token)
      entry = { access_token: token[:access_token], expires_at: token[:expires_at].floor, api_domain: token[:api_domain],
                client_id: @client_id, refresh_token_hash: @refresh_token_hash }
      tmp = "#{@cache_file}.tmp.#{Process.pid}.#{SecureRandom.hex(4)}"
      begin
        File.open(tmp, File::WRONLY | File::CREAT | File::EXCL, 0o600) { |f| f.write(JSON.generate(entry)) }
        File.chmod(0o600, tmp)
        File.rename(tmp, @cache_file)
      rescue SystemCallError => e
        File.unlink(tmp) if File.exist?(tmp)
        raise Error.new("cannot write ZOHO_TOKEN_CACHE file: #{e.class.name}", code: "cache_write_failed")
      end
      token
    end
  end

  @shared = nil
  @shared_lock = Mutex.new

  # The process-wide Client, configured from the environment on first use. Code migrated by
  # `authtoken-migrate fix` calls this, so requiring this file never needs the configuration;
  # the first request does (a ConfigurationError then, and again on the next call until it is set).
  def self.shared
    @shared_lock.synchronize { @shared ||= Client.new }
  end
end
