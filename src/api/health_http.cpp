#include "coopchain/api/health_http.h"

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <sstream>

namespace coopchain::api {
namespace {

using boost::asio::ip::tcp;

std::string metrics_text(const Node& node) {
  const NodeMetrics& m = node.metrics();
  std::ostringstream out;
  auto gauge = [&](const char* name, const char* help, const char* type, uint64_t value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
        << name << ' ' << value << '\n';
  };
  gauge("coopchain_chain_height", "Height of the committed head block.", "gauge",
        node.store().head()->height);
  gauge("coopchain_blocks_committed_total", "Blocks committed since start.", "counter",
        m.blocks_committed);
  gauge("coopchain_txs_committed_total", "Transactions committed since start.", "counter",
        m.txs_committed);
  gauge("coopchain_txs_rejected_total", "Transactions refused by the rules since start.", "counter",
        m.txs_rejected);
  gauge("coopchain_submissions_total", "Submissions admitted for checking since start.", "counter",
        m.submissions);
  gauge("coopchain_mempool_size", "Transactions waiting for a block.", "gauge",
        node.mempool_size());
  return out.str();
}

std::string response(int code, const char* reason, const std::string& body,
                     const char* type = "text/plain; charset=utf-8") {
  std::ostringstream out;
  out << "HTTP/1.0 " << code << ' ' << reason << "\r\nContent-Type: " << type
      << "\r\nContent-Length: " << body.size() << "\r\nConnection: close\r\n\r\n"
      << body;
  return out.str();
}

struct Connection : std::enable_shared_from_this<Connection> {
  Connection(tcp::socket s, Node& n) : socket(std::move(s)), node(n) {}
  tcp::socket socket;
  Node& node;
  boost::asio::streambuf request{8192};
  std::string reply;

  void run() {
    auto self = shared_from_this();
    boost::asio::async_read_until(socket, request, "\r\n\r\n",
                                  [self](const boost::system::error_code& ec, size_t) {
                                    if (!ec) self->answer();
                                  });
  }

  void answer() {
    std::istream in(&request);
    std::string method, path;
    in >> method >> path;
    if (method != "GET") {
      reply = response(405, "Method Not Allowed", "only GET\n");
    } else if (path == "/metrics") {
      reply = response(200, "OK", metrics_text(node), "text/plain; version=0.0.4");
    } else if (path == "/healthz") {
      reply = response(200, "OK", "ok\n");
    } else if (path == "/readyz") {
      reply = node.stopping() ? response(503, "Service Unavailable", "shutting down\n")
                              : response(200, "OK", "ready\n");
    } else {
      reply = response(404, "Not Found", "try /metrics, /healthz or /readyz\n");
    }
    auto self = shared_from_this();
    boost::asio::async_write(socket, boost::asio::buffer(reply),
                             [self](const boost::system::error_code&, size_t) {
                               boost::system::error_code ignored;
                               self->socket.shutdown(tcp::socket::shutdown_both, ignored);
                             });
  }
};

}  // namespace

HealthHttpServer::HealthHttpServer(Node& node, tcp::acceptor acceptor)
    : node_(node), acceptor_(std::move(acceptor)) {}

Result<std::unique_ptr<HealthHttpServer>> HealthHttpServer::start(Node& node) {
  const std::string& listen = node.config().metrics_listen;
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Status::InvalidArgument("metrics_listen must be host:port, not \"" + listen + "\"");
  }
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(listen.substr(0, colon), ec);
  if (ec) return Status::InvalidArgument("metrics_listen: bad address in \"" + listen + "\"");
  const int port = std::atoi(listen.c_str() + colon + 1);
  tcp::acceptor acceptor(node.io());
  tcp::endpoint endpoint(address, static_cast<uint16_t>(port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::Unavailable("cannot listen on " + listen + ": " + ec.message());
  std::unique_ptr<HealthHttpServer> server(new HealthHttpServer(node, std::move(acceptor)));
  server->accept();
  return server;
}

void HealthHttpServer::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec) return;  // closed
    std::make_shared<Connection>(std::move(socket), node_)->run();
    accept();
  });
}

void HealthHttpServer::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

}  // namespace coopchain::api
