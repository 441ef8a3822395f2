# frozen_string_literal: true

# Scenario tests for the generated Ruby helper against the mock Zoho server (minitest).
# Env: ATM_MOCK_URL, ATM_HELPER_DIR, ATM_TEST_TMP, ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET (see
# tests/helpers/run-helper-test.sh); HELPER_MODULE names the generated module (default ZohoOAuth).
# Token values are never printed: assertions carry messages of their own.
require "digest"
require "json"
require "net/http"
require "open3"
require "minitest"

require File.join(ENV.fetch("ATM_HELPER_DIR"), "zoho_oauth.rb")
require_relative "fault_proxy"

# Prints "N passed, M failed" after minitest's own summary.
class PassFailReporter < Minitest::AbstractReporter
  def initialize
    super
    @passed = 0
    @failed = 0
  end

  def record(result)
    result.passed? || result.skipped? ? @passed += 1 : @failed += 1
  end

  def report
    puts "#{@passed} passed, #{@failed} failed"
  end

  def passed?
    @failed.zero?
  end
end

Thread.report_on_exception = false # failures surface through Thread#value

Z = Object.const_get(ENV.fetch("HELPER_MODULE", "ZohoOAuth"))
MOCK = ENV.fetch("ATM_MOCK_URL")
TMP = ENV.fetch("ATM_TEST_TMP")
CLIENT_ID = ENV.fetch("ZOHO_CLIENT_ID")
SECRET = ENV.fetch("ZOHO_CLIENT_SECRET")
SECRETS = [SECRET] # every secret value the tests saw
ERROR_TEXTS = []   # every error text the helper produced

class ZohoOAuthTest < Minitest::Test
  i_suck_and_my_tests_are_order_dependent! # the "no secret in errors" check runs last

  def admin(method, path, body = nil)
    uri = URI("#{MOCK}/__admin/#{path}")
    request = method == :get ? Net::HTTP::Get.new(uri) : Net::HTTP::Post.new(uri, "Content-Type" => "application/json")
    request.body = JSON.generate(body) if body
    response = Net::HTTP.start(uri.host, uri.port) { |http| http.request(request) }
    raise "admin #{method} #{path}: HTTP #{response.code}" unless response.code == "200"

    JSON.parse(response.body)
  end

  def stats
    admin(:get, "stats")
  end

  def advance(seconds)
    admin(:post, "clock/advance", { seconds: seconds })
    @offset += seconds
  end

  # Fresh mock state and refresh token for each test.
  def setup
    admin(:post, "reset")
    @offset = 0
    @rt = admin(:post, "refresh-tokens", { client_id: CLIENT_ID, scope: "ZohoCRM.modules.ALL" })["refresh_token"]
    SECRETS << @rt
  end

  def client(**options)
    Z::Client.new(refresh_token: @rt, clock: -> { Time.now.to_f + @offset }, retry_base_ms: 1, cache_file: false,
                  **options)
  end

  def token(zoho)
    zoho.access_token.tap { |t| SECRETS << t }
  end

  def expect_error(type)
    yield
    flunk "expected #{type}, got success"
  rescue Z::Error => e
    ERROR_TEXTS << e.message << e.inspect << e.full_message
    assert_kind_of type, e, "expected #{type}, got #{e.class}: #{e.message}"
    assert_kind_of StandardError, e
    e
  end

  def run_child(env)
    out, err, status = Open3.capture3(env, RbConfig.ruby, File.join(__dir__, "child.rb"))
    [status.success?, out.strip, err.strip]
  end

  def test_01_first_call_refreshes_header_api_domain
    zoho = client
    token(zoho)
    assert_equal 1, stats["token_requests"], "one token request"
    assert zoho.authorization_header.start_with?("Zoho-oauthtoken "), 'header starts with "Zoho-oauthtoken "'
    assert_equal "#{MOCK}/zohoapis/us", zoho.api_domain
  end

  def test_02_second_call_uses_in_memory_token
    zoho = client
    assert token(zoho) == token(zoho), "same token"
    assert_equal 1, stats["token_requests"]
  end

  def test_03_refresh_within_margin_of_expiry
    zoho = client
    first = token(zoho)
    advance(3000)
    assert token(zoho) == first, "kept 600 s before expiry"
    assert_equal 1, stats["token_requests"]
    advance(301)
    refute token(zoho) == first, "new token inside the margin"
    assert_equal 2, stats["token_requests"]
  end

  def test_04_configurable_margin
    zoho = client(margin: 10)
    token(zoho)
    advance(3580)
    token(zoho)
    assert_equal 1, stats["token_requests"], "20 s left, 10 s margin"
    advance(15)
    token(zoho)
    assert_equal 2, stats["token_requests"]
  end

  def test_05_milliseconds_style_with_expires_in_sec
    admin(:post, "settings", { expires_in_style: "milliseconds" })
    zoho = client
    token(zoho)
    advance(3000)
    token(zoho)
    assert_equal 1, stats["token_requests"], "not treated as 3.6 s"
    advance(301)
    token(zoho)
    assert_equal 2, stats["token_requests"], "not treated as 1000 h"
  end

  def test_06_missing_expires_in_assumes_an_hour
    admin(:post, "faults", { missing_expires_in_next: 1 })
    zoho = client
    token(zoho)
    advance(3000)
    token(zoho)
    assert_equal 1, stats["token_requests"]
    advance(301)
    token(zoho)
    assert_equal 2, stats["token_requests"]
  end

  def test_07_revoked_refresh_token_is_typed_and_not_retried
    admin(:post, "revoke", { token: @rt })
    e = expect_error(Z::InvalidGrantError) { client.access_token }
    assert_equal "invalid_code", e.code
    assert_match(/revoked/, e.message)
    assert_equal 1, stats["token_requests"], "exactly one request"
  end

  def test_08_invalid_client_secret
    e = expect_error(Z::InvalidClientSecretError) { client(client_secret: "0123456789abcdef0123456789abcdef01234567").access_token }
    assert_includes e.message, "ZOHO_CLIENT_SECRET"
    assert_equal 1, stats["token_requests"]
  end

  def test_09_unknown_client_id
    e = expect_error(Z::InvalidClientError) { client(client_id: "1000.UNKNOWNCLIENT000000000000000000").access_token }
    assert_includes e.message, "ZOHO_CLIENT_ID / ZOHO_DC"
  end

  def test_10_two_503_answers_are_retried
    admin(:post, "faults", { fail_next_token_requests: 2, status: 503 })
    token(client)
    s = stats
    assert_equal [2, 1], [s["faults_injected"], s["token_requests"]], "3 requests: 2 faulted, 1 served"
  end

  def test_11_dropped_connection_is_retried
    admin(:post, "faults", { drop_next_token_requests: 1 })
    token(client)
    assert_equal [1, 1], [stats["dropped_connections"], stats["token_requests"]]
  end

  # The drop fault: "HTTP/1.1 200 OK", Content-Length: 64, then FIN without a body byte.
  def test_11a_dropped_connections_exhaust_the_attempts
    admin(:post, "faults", { drop_next_token_requests: 10 })
    e = expect_error(Z::TransientError) { client.access_token }
    assert_match(/3 attempts.*(dropped after 0 of 64 body bytes \(HTTP 200\)|network error EOFError)/, e.message)
    assert_equal [3, 0], [stats["dropped_connections"], stats["token_requests"]], "3 dropped attempts"
  end

  def with_proxy(*faults)
    proxy = FaultProxy.new(URI(MOCK).port, faults)
    yield proxy
  ensure
    proxy&.close
  end

  def test_11b_token_answer_cut_inside_the_body_is_retried
    with_proxy(:truncate_body) do |proxy|
      token(client(accounts_url: proxy.url))
      assert_equal [2, 2], [proxy.connections, stats["token_requests"]], "cut answer, then a whole one"
    end
    with_proxy(:truncate_body, :truncate_body, :truncate_body) do |proxy|
      e = expect_error(Z::TransientError) { client(accounts_url: proxy.url).access_token }
      assert_match(/3 attempts.*(dropped after \d+ of \d+ body bytes \(HTTP 200\)|network error EOFError)/, e.message)
      assert_equal 3, proxy.connections
    end
  end

  def test_11c_connection_reset_before_any_byte_is_retried
    with_proxy(:reset) do |proxy|
      token(client(accounts_url: proxy.url))
      assert_equal [2, 1], [proxy.connections, stats["token_requests"]], "reset, then forwarded"
    end
    with_proxy(:reset, :reset, :reset) do |proxy|
      e = expect_error(Z::TransientError) { client(accounts_url: proxy.url).access_token }
      assert_match(/3 attempts.*network error Errno::ECONNRESET/, e.message)
    end
  end

  def test_11d_connection_closed_before_any_byte_is_retried
    with_proxy(:close, :close) do |proxy|
      token(client(accounts_url: proxy.url))
      assert_equal [3, 1], [proxy.connections, stats["token_requests"]], "closed twice, then forwarded"
    end
  end

  def test_12_persistent_5xx_gives_transient_error_after_3_attempts
    admin(:post, "faults", { fail_next_token_requests: 10, status: 500 })
    e = expect_error(Z::TransientError) { client.access_token }
    assert_match(/3 attempts.*HTTP 500/, e.message)
    assert_equal 3, stats["faults_injected"]
  end

  def test_13_retry_base_from_environment
    env = ENV.to_h.merge("ZOHO_REFRESH_TOKEN" => @rt, "ZOHO_RETRY_BASE_MS" => "5")
    zoho = Z::Client.new(env: env, cache_file: false)
    assert_equal 5.0, zoho.retry_base_ms
    admin(:post, "faults", { fail_next_token_requests: 3, status: 502 })
    started = Time.now
    expect_error(Z::TransientError) { zoho.access_token }
    assert_operator Time.now - started, :<, 2, "no long sleeps with a 5 ms base"
  end

  def test_14_network_error
    e = expect_error(Z::TransientError) { client(accounts_url: "http://127.0.0.1:9").access_token }
    assert_match(/network error/, e.message)
  end

  def test_15_throttle_is_typed_with_one_request
    admin(:post, "limits", { token_requests_per_window: 1 })
    zoho = client
    token(zoho)
    zoho.invalidate
    admin(:post, "stats/reset")
    e = expect_error(Z::ThrottledError) { zoho.access_token }
    assert_match(/back off/, e.message)
    assert_equal [1, 1], [stats["token_requests"], stats["throttled"]], "one throttled request, no retry"
  end

  def test_16_sixteen_threads_one_request
    admin(:post, "faults", { latency_ms: 150, scope: "token" })
    zoho = client
    tokens = Array.new(16) { Thread.new { token(zoho) } }.map(&:value)
    assert_equal 1, tokens.uniq.size, "same token in every thread"
    assert_equal 1, stats["token_requests"]
  end

  def test_17_threads_over_instances_sharing_a_cache_file
    admin(:post, "faults", { latency_ms: 150, scope: "token" })
    cache = File.join(TMP, "instances.json")
    instances = Array.new(4) { client(cache_file: cache) }
    tokens = Array.new(16) { |i| Thread.new { token(instances[i % 4]) } }.map(&:value)
    assert_equal 1, tokens.uniq.size
    assert_equal 1, stats["token_requests"]
  end

  def test_18_two_processes_share_the_cache
    admin(:post, "faults", { latency_ms: 200, scope: "token" })
    cache = File.join(TMP, "procs", "token-cache.json")
    env = { "ZOHO_REFRESH_TOKEN" => @rt, "ZOHO_TOKEN_CACHE" => cache, "START_AT" => (Time.now.to_f + 0.6).to_s }
    a, b = [Thread.new { run_child(env) }, Thread.new { run_child(env) }].map(&:value)
    assert a[0] && b[0], "children succeeded (#{a[2]} #{b[2]})"
    assert a[1] == b[1] && a[1].size == 16, "both processes got the same token"
    assert_equal 1, stats["token_requests"], "one refresh in total"
    assert_equal 0o600, File.stat(cache).mode & 0o777, "cache file mode 0600"
    text = File.read(cache)
    refute text.include?(@rt) || text.include?(SECRET), "cache holds neither refresh token nor secret"
    entry = JSON.parse(text)
    SECRETS << entry["access_token"]
    assert_equal CLIENT_ID, entry["client_id"]
    assert_kind_of Integer, entry["expires_at"]
    c = run_child(env.merge("START_AT" => "0"))
    assert c[0] && c[1] == a[1], "third process reused the cache"
    assert entry["access_token"] == token(client(cache_file: cache)), "in-process reuse"
    assert_equal 1, stats["token_requests"]
  end

  def test_19_cache_entry_of_another_refresh_token_is_ignored
    cache = File.join(TMP, "bound.json")
    token(client(cache_file: cache))
    other = admin(:post, "refresh-tokens", { client_id: CLIENT_ID, scope: "ZohoCRM.modules.ALL" })["refresh_token"]
    SECRETS << other
    token(client(cache_file: cache, refresh_token: other))
    assert_equal 2, stats["token_requests"]
  end

  def test_20_leftover_lock_file_does_not_block
    cache = File.join(TMP, "leftover.json")
    File.write("#{cache}.lock", "")
    started = Time.now
    token(client(cache_file: cache))
    assert_operator Time.now - started, :<, 3
  end

  def test_21_resource_call_returns_200
    zoho = client
    uri = URI("#{MOCK}/crm/v2/Leads")
    assert_equal "200", Net::HTTP.get_response(uri, { "Authorization" => zoho.authorization_header }).code
    uri = URI("#{zoho.api_domain}/crm/v2/Leads")
    assert_equal "200", Net::HTTP.get_response(uri, { "Authorization" => zoho.authorization_header }).code
  end

  def test_22_with_retry_recovers_from_a_revoked_access_token
    zoho = client
    first = token(zoho)
    admin(:post, "revoke", { token: first })
    codes = []
    response = zoho.with_retry_on_invalid_token do |authorization|
      Net::HTTP.get_response(URI("#{MOCK}/crm/v2/Leads"), { "Authorization" => authorization }).tap { |r| codes << r.code }
    end
    assert_equal %w[401 200], codes
    assert JSON.parse(response.body)["data"]
    refute token(zoho) == first, "new token"
    assert_equal 2, stats["token_requests"]
  end

  HttpError = Class.new(StandardError) { attr_accessor :response }

  def test_23_with_retry_on_raised_401_and_cache_entry_of_bad_token_ignored
    cache = File.join(TMP, "invalidate.json")
    zoho = client(cache_file: cache)
    first = token(zoho)
    admin(:post, "revoke", { token: first })
    calls = 0
    result = zoho.with_retry_on_invalid_token do |authorization|
      calls += 1
      r = Net::HTTP.get_response(URI("#{MOCK}/crm/v2/Leads"), { "Authorization" => authorization })
      raise HttpError.new("HTTP 401").tap { |e| e.response = r } if r.code == "401"

      r.code
    end
    assert_equal ["200", 2], [result, calls]
    refute JSON.parse(File.read(cache))["access_token"] == first, "cache rewritten"
    calls = 0
    assert_raises(ArgumentError) { zoho.with_retry_on_invalid_token { calls += 1; raise ArgumentError } }
    assert_equal 1, calls, "other errors are not retried"
  end

  def test_24_invalidate_keeps_a_newer_token
    zoho = client
    first = token(zoho)
    zoho.invalidate(first)
    second = token(zoho)
    zoho.invalidate("Zoho-oauthtoken #{first}")
    assert token(zoho) == second, "newer token kept"
    assert_equal 2, stats["token_requests"]
  end

  def test_25_missing_configuration_names_the_variable
    base = { "ZOHO_CLIENT_ID" => "id", "ZOHO_CLIENT_SECRET" => "s", "ZOHO_REFRESH_TOKEN" => "r" }
    base.each_key do |name|
      e = expect_error(Z::ConfigurationError) { Z::Client.new(env: base.merge(name => "")) }
      assert_equal "#{name} is not set", e.message
    end
    e = expect_error(Z::ConfigurationError) { Z::Client.new(env: base.merge("ZOHO_DC" => "mars")) }
    assert_match(/ZOHO_DC/, e.message)
    assert_equal "a", Z::Client.new(env: {}, client_id: "a", client_secret: "b", refresh_token: "c").client_id
  end

  def test_26_accounts_url_from_dc_and_override
    base = { "ZOHO_CLIENT_ID" => "id", "ZOHO_CLIENT_SECRET" => "s", "ZOHO_REFRESH_TOKEN" => "r" }
    url = ->(env) { Z::Client.new(env: base.merge(env)).accounts_url }
    assert_equal "https://accounts.zoho.com", url.call({})
    assert_equal "https://accounts.zoho.eu", url.call("ZOHO_DC" => "eu")
    assert_equal "https://accounts.zoho.com.au", url.call("ZOHO_DC" => "AU")
    assert_equal "https://accounts.zohocloud.ca", url.call("ZOHO_DC" => "ca")
    assert_equal "http://127.0.0.1:1/accounts/eu", url.call("ZOHO_DC" => "eu", "ZOHO_ACCOUNTS_URL" => "http://127.0.0.1:1/accounts/eu/")
    assert_equal "/x/c.json", Z::Client.new(env: base.merge("ZOHO_TOKEN_CACHE" => "/x/c.json")).cache_file
  end

  def test_27_eu_data_centre_through_the_path_prefix
    rt = admin(:post, "refresh-tokens", { client_id: CLIENT_ID, scope: "ZohoCRM.modules.ALL", dc: "eu" })["refresh_token"]
    SECRETS << rt
    zoho = client(refresh_token: rt, accounts_url: "#{MOCK}/accounts/eu")
    token(zoho)
    assert_equal "#{MOCK}/zohoapis/eu", zoho.api_domain
    expect_error(Z::InvalidGrantError) { client(refresh_token: rt).access_token }
  end

  # ZohoOAuth.shared (what code migrated by `fix` calls): one Client per process, configured
  # from the environment on first use; a missing setting is reported and not remembered.
  def test_28_shared_client_from_the_environment
    Z.instance_variable_set(:@shared, nil)
    saved = ENV.to_h.slice("ZOHO_REFRESH_TOKEN", "ZOHO_TOKEN_CACHE")
    ENV.delete("ZOHO_REFRESH_TOKEN")
    ENV.delete("ZOHO_TOKEN_CACHE")
    e = expect_error(Z::ConfigurationError) { Z.shared }
    assert_equal "ZOHO_REFRESH_TOKEN is not set", e.message
    assert_equal 0, stats["token_requests"], "no request without configuration"
    ENV["ZOHO_REFRESH_TOKEN"] = @rt
    clients = Array.new(8) { Thread.new { Z.shared } }.map(&:value)
    assert_equal 1, clients.map(&:object_id).uniq.size, "one shared Client across threads"
    assert_kind_of Z::Client, clients.first
    assert Z.shared.equal?(clients.first), "the same Client on later calls"
    header = Z.shared.authorization_header
    SECRETS << header.delete_prefix("Zoho-oauthtoken ")
    assert header.start_with?("Zoho-oauthtoken "), "header from the shared Client"
    response = Z.shared.with_retry_on_invalid_token do |authorization|
      Net::HTTP.get_response(URI("#{MOCK}/crm/v2/Leads"), { "Authorization" => authorization })
    end
    assert_equal "200", response.code
    assert_equal 1, stats["token_requests"], "one refresh for every use"
  ensure
    Z.instance_variable_set(:@shared, nil)
    ENV.delete("ZOHO_REFRESH_TOKEN")
    saved&.each { |k, v| ENV[k] = v }
  end

  def test_99_no_token_or_secret_in_errors_or_inspect
    zoho = client
    token(zoho)
    shown = zoho.inspect + zoho.to_s
    SECRETS.each { |s| refute shown.include?(s), "inspect hides tokens and secrets" }
    assert_operator ERROR_TEXTS.size, :>, 20, "errors collected"
    ERROR_TEXTS.each { |text| SECRETS.each { |s| refute text.include?(s), "an error text contains a secret" } }
  end
end

Minitest.extensions << "pass_fail"
module Minitest
  def self.plugin_pass_fail_init(_options)
    reporter << PassFailReporter.new
  end
end
exit Minitest.run(ARGV) ? 0 : 1
