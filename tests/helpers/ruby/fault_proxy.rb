# frozen_string_literal: true

require "socket"

# A loopback TCP proxy in front of the mock server that breaks connections in ways the mock's own
# faults cannot (its drop fault sends headers announcing 64 bytes and closes before any of them):
#   :truncate_body  forward the request, send back the mock's headers and half of its body, close
#   :reset          read the request, then reset the connection (RST) before any byte of an answer
#   :close          read the request, then close the connection (FIN) before any byte of an answer
# Each accepted connection takes the next fault from the list; later connections pass through.
class FaultProxy
  attr_reader :port

  def initialize(upstream_port, faults)
    @upstream_port = upstream_port
    @faults = faults.dup
    @connections = 0
    @lock = Mutex.new
    @server = TCPServer.new("127.0.0.1", 0)
    @port = @server.addr[1]
    @acceptor = Thread.new { serve }
  end

  def url
    "http://127.0.0.1:#{@port}"
  end

  # Connections accepted so far.
  def connections
    @lock.synchronize { @connections }
  end

  def close
    @server.close
    @acceptor.join
  end

  private

  def serve
    loop do
      client = @server.accept
      fault = @lock.synchronize do
        @connections += 1
        @faults.shift
      end
      Thread.new { handle(client, fault) }
    end
  rescue IOError, SystemCallError
    nil # the listening socket was closed
  end

  def handle(client, fault)
    request = read_request(client)
    case fault
    when :reset
      client.setsockopt(Socket::SOL_SOCKET, Socket::SO_LINGER, [1, 0].pack("ii")) # close sends RST
    when :close
      nil
    else
      response = forward(request)
      if fault == :truncate_body
        head, body = response.split("\r\n\r\n", 2)
        raise "upstream answer has no body to truncate" if body.nil? || body.bytesize < 2

        response = "#{head}\r\n\r\n#{body.byteslice(0, body.bytesize / 2)}"
      end
      client.write(response)
    end
  ensure
    client.close
  end

  # The whole request, rewritten to "Connection: close" so the mock ends its answer with EOF.
  def read_request(client)
    data = "".b
    data << client.readpartial(4096) until data.include?("\r\n\r\n")
    head, body = data.split("\r\n\r\n", 2)
    length = head[/^content-length:[ \t]*(\d+)/i, 1].to_i
    body << client.readpartial(4096) while body.bytesize < length
    lines = head.split("\r\n").reject { |line| line.match?(/\Aconnection:/i) }
    "#{(lines + ['Connection: close']).join("\r\n")}\r\n\r\n#{body}"
  end

  def forward(request)
    upstream = TCPSocket.new("127.0.0.1", @upstream_port)
    upstream.write(request)
    upstream.read
  ensure
    upstream&.close
  end
end
