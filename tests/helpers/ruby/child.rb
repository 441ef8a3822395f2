# frozen_string_literal: true

# A second process for the shared-cache test: waits until START_AT (epoch seconds), gets a token
# through ZOHO_TOKEN_CACHE and prints a short hash of it (never the token itself).
require "digest"
require File.join(ENV.fetch("ATM_HELPER_DIR"), "zoho_oauth.rb")

wait = ENV.fetch("START_AT", "0").to_f - Time.now.to_f
sleep(wait) if wait.positive?
begin
  token = Object.const_get(ENV.fetch("HELPER_MODULE", "ZohoOAuth"))::Client.new(retry_base_ms: 1).access_token
  puts Digest::SHA256.hexdigest(token)[0, 16]
rescue StandardError => e
  warn "#{e.class}: #{e.message}"
  exit 1
end
