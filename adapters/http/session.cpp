// The transport: Boost.Beast over Asio. One I/O thread accepts, reads and
// writes every connection asynchronously and answers what costs little
// (/healthz, /metrics, refusals); evaluations run on a separate pool of
// worker threads. So a slow client holds a socket and a few kilobytes, never
// a thread, and the probes answer while every worker is busy.
//
// Every wait has a deadline: the whole request head (header_timeout_ms,
// which is also how long an idle keep-alive connection stays), the body and
// evaluation (request_timeout_ms from the head), each response write
// (write_timeout_ms). Requests on one connection are read one at a time, so
// pipelined requests are answered in order, and a body is always consumed by
// its own request; a request refused before its body is read closes the
// connection after its answer, so no byte of a body is ever read as a head.
#include <sys/resource.h>

#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>
#include <list>
#include <optional>

#include "adapters/http/transport.h"

namespace shiki::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

class BeastTransport;

// What the transport needs of a session without knowing its stream type.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void abort() = 0;  // close the socket: pending operations end at once
};

class BeastTransport : public Transport {
 public:
  explicit BeastTransport(Server::Impl& s) : s_(s), pool_(s.config.limits.worker_threads) {}
  ~BeastTransport() override;
  bool init_tls();
  int bind() override;
  bool run() override;
  void stop() override;

  Server::Impl& s_;
  asio::io_context ioc_{1};
  asio::thread_pool pool_;
  std::optional<asio::ssl::context> tls_;
  tcp::acceptor acceptor_{ioc_};
  asio::steady_timer summary_timer_{ioc_};
  asio::steady_timer retry_timer_{ioc_};
  asio::steady_timer stop_timer_{ioc_};
  // Touched on the I/O thread only.
  std::size_t open_ = 0, overflow_ = 0;
  std::size_t in_flight_ = 0;  // requests between head read and response written
  bool paused_ = false, stopping_ = false, bound_ = false;
  std::list<std::weak_ptr<SessionBase>> sessions_;

  void accept();
  void on_accept(error_code ec, tcp::socket socket);
  void session_ended(bool overflow);
  void flush_refusals();
  void schedule_summary();
  void finish_stop(Clock::time_point give_up);
};

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(BeastTransport& t, Stream stream, std::string remote, bool overflow)
      : t_(t), s_(t.s_), stream_(std::move(stream)), timer_(t.ioc_), remote_(std::move(remote)), overflow_(overflow) {}
  ~Session() override {
    t_.sessions_.erase(entry_);
    release_slot();
  }

  void start(std::list<std::weak_ptr<SessionBase>>::iterator self_entry) {
    entry_ = self_entry;
    if constexpr (kTls) {
      arm(Clock::now() + std::chrono::milliseconds(s_.config.limits.header_timeout_ms));
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](error_code ec) {
        self->disarm();
        if (ec) return self->abort();
        self->begin();
      });
    } else {
      begin();
    }
  }

  void abort() override {
    error_code ignored;
    timer_.cancel();
    lowest().socket().close(ignored);
  }

  std::list<std::weak_ptr<SessionBase>>::iterator entry_;

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  using Parser = bhttp::request_parser<bhttp::string_body>;
  using Message = bhttp::response<bhttp::string_body>;

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  std::shared_ptr<Session> self() { return this->shared_from_this(); }

  void begin() {
    if (!overflow_) return read_head();
    // Over max_connections: told at once, before anything is read.
    res_ = error_response(503, "", "too many connections; retry later");
    res_.headers.emplace_back("Retry-After", "1");
    res_.close = true;
    write();
  }

  // A deadline that cancels the pending read rather than closing the socket
  // (as tcp_stream's own would), so that a 408 can still be written.
  // The generation tells an expiry that was already queued when its read
  // finished from one that belongs to the read now pending.
  void arm(Clock::time_point at) {
    timed_out_ = false;
    timer_.expires_at(at);
    timer_.async_wait([self = self(), gen = ++deadline_gen_](error_code ec) {
      if (ec || gen != self->deadline_gen_) return;  // cancelled, or the read finished in time
      self->timed_out_ = true;
      error_code ignored;
      self->lowest().socket().cancel(ignored);
    });
  }
  void disarm() {
    ++deadline_gen_;
    timer_.cancel();
  }

  void read_head() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(s_.config.limits.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(s_.config.limits.max_body_bytes);
    arm(Clock::now() + std::chrono::milliseconds(s_.config.limits.header_timeout_ms));
    bhttp::async_read_header(stream_, buffer_, *parser_, [self = self()](error_code ec, std::size_t) { self->on_head(ec); });
  }

  void on_head(error_code ec) {
    disarm();
    if (ec) {
      const bool nothing_sent = buffer_.size() == 0;
      if (ec == bhttp::error::header_limit)
        return refuse(431, fmt::format("the request head exceeds {} bytes", s_.config.limits.max_header_bytes));
      // A Content-Length over the limit is refused with the head, before any of the body is read.
      if (ec == bhttp::error::body_limit)
        return refuse(413, fmt::format("the request body exceeds {} bytes", s_.config.limits.max_body_bytes));
      if (timed_out_ && !nothing_sent)
        return refuse(408, fmt::format("the request head did not arrive within {} ms", s_.config.limits.header_timeout_ms));
      // Idle or gone: nothing was asked, so there is no answer to protect.
      if (timed_out_ || nothing_sent || ec == bhttp::error::end_of_stream) return abort();
      return refuse(400, "not an HTTP/1.1 request");
    }
    const auto& head = parser_->get();
    req_ = Request{};
    req_.method = std::string(head.method_string());
    const std::string_view target(head.target().data(), head.target().size());
    const auto q = target.find('?');
    req_.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) req_.query = std::string(target.substr(q + 1));
    req_.authorization = std::string(head[bhttp::field::authorization]);
    req_.cookie = std::string(head[bhttp::field::cookie]);
    req_.requested_with = std::string(head["X-Requested-With"]);
    req_.remote = remote_;
    ctx_ = RequestContext{};
    ctx_.start = Clock::now();
    has_request_ = true;
    ++t_.in_flight_;
    if (admit(s_, req_, ctx_, res_) == Admission::kRefused) return write();
    if (beast::iequals(head[bhttp::field::expect], "100-continue")) return send_continue();
    read_body();
  }

  // curl and others wait for this before sending a body over 1 KiB.
  void send_continue() {
    auto msg = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
    lowest().expires_after(std::chrono::milliseconds(s_.config.limits.write_timeout_ms));
    bhttp::async_write(stream_, *msg, [self = self(), msg](error_code ec, std::size_t) {
      self->lowest().expires_never();
      if (ec) return self->close();
      self->read_body();
    });
  }

  void read_body() {
    arm(s_.deadline(ctx_));
    bhttp::async_read(stream_, buffer_, *parser_, [self = self()](error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(error_code ec) {
    disarm();
    if (ec) {
      if (ec == bhttp::error::body_limit)
        res_ = error_response(413, "", fmt::format("the request body exceeds {} bytes", s_.config.limits.max_body_bytes));
      else if (timed_out_)
        res_ = error_response(408, "", fmt::format("the body did not arrive within {} ms", s_.config.limits.request_timeout_ms));
      else
        res_ = error_response(400, "", "the request body could not be read");
      res_.close = true;
      return write();
    }
    keep_alive_ = parser_->get().keep_alive();
    req_.body = std::move(parser_->get().body());
    parser_.reset();
    ctx_.body_bytes = req_.body.size();
    if (!needs_worker(ctx_)) {
      res_ = serve(s_, req_, ctx_);
      return write();
    }
    asio::post(t_.pool_, [self = self()] {
      Response r = serve(self->s_, self->req_, self->ctx_);
      asio::post(self->t_.ioc_, [self, r = std::move(r)]() mutable {
        self->res_ = std::move(r);
        self->write();
      });
    });
  }

  // A refusal of the transport itself: the head was too large, too slow or
  // not HTTP, so there is no request to route.
  void refuse(int status, const std::string& message) {
    res_ = error_response(status, "", message);
    res_.close = true;
    write();
  }

  void write() {
    msg_.emplace(static_cast<bhttp::status>(res_.status), 11);
    msg_->set(bhttp::field::content_type, res_.content_type);
    for (const auto& [k, v] : res_.headers) msg_->set(k, v);
    msg_->body() = std::move(res_.body);
    ++served_;
    const bool keep = !res_.close && keep_alive_ && !t_.stopping_ && served_ < s_.config.limits.keep_alive_max_requests;
    msg_->keep_alive(keep);
    msg_->prepare_payload();
    lowest().expires_after(std::chrono::milliseconds(s_.config.limits.write_timeout_ms));
    bhttp::async_write(stream_, *msg_, [self = self()](error_code ec, std::size_t) { self->on_written(ec); });
  }

  void on_written(error_code ec) {
    lowest().expires_never();
    const bool keep = !ec && msg_->keep_alive();
    const std::size_t exchanged = ctx_.body_bytes + msg_->body().size();
    if (has_request_) {
      finish(s_, ctx_, res_);
      --t_.in_flight_;
    } else {
      count_refusal(s_, remote_, static_cast<int>(msg_->result_int()));
    }
    has_request_ = false;
    msg_.reset();
    req_ = Request{};
    ctx_ = RequestContext{};
    release_memory_after(exchanged);
    if (keep) return read_head();
    close();
  }

  // Closes so that the answer just written reaches the client: stop
  // sending, then read and drop what the client still sends (for a second
  // at most) before closing, since closing with unread input would reset
  // the connection and could destroy the answer in flight.
  void close() {
    release_slot();  // a closing connection serves no one: it no longer counts against the limit
    lowest().expires_after(std::chrono::seconds(1));
    if constexpr (kTls) {
      stream_.async_shutdown([self = self()](error_code) { self->abort(); });
    } else {
      error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      drain();
    }
  }
  void release_slot() {
    if (slot_released_) return;
    slot_released_ = true;
    t_.session_ended(overflow_);
  }
  void drain() {
    lowest().async_read_some(asio::buffer(scratch_), [self = self()](error_code ec, std::size_t) {
      if (ec) return self->abort();
      self->drain();
    });
  }

  BeastTransport& t_;
  Server::Impl& s_;
  Stream stream_;
  asio::steady_timer timer_;
  std::string remote_;
  const bool overflow_;
  bool timed_out_ = false, has_request_ = false, keep_alive_ = true, slot_released_ = false;
  std::size_t served_ = 0;
  std::uint64_t deadline_gen_ = 0;
  beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::optional<Message> msg_;
  Request req_;
  RequestContext ctx_;
  Response res_;
  std::array<char, 4096> scratch_;
};

BeastTransport::~BeastTransport() {
  // Normally run() has returned and nothing is left. Otherwise stop here,
  // so that every session ends while the members it reports to still exist:
  // evaluations finish, then what they posted runs.
  stop();
  pool_.join();
  ioc_.restart();
  ioc_.run_for(std::chrono::seconds(10));
}

bool BeastTransport::init_tls() {
  const auto& tls = *s_.config.tls;
  tls_.emplace(asio::ssl::context::tls_server);
  tls_->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  error_code ec;
  tls_->use_certificate_chain_file(tls.cert.string(), ec);
  if (!ec) tls_->use_private_key_file(tls.key.string(), asio::ssl::context::pem, ec);
  if (ec) {
    s_.log(fmt::format("TLS: certificate {} or key {} cannot be loaded: {}", tls.cert.string(), tls.key.string(), ec.message()));
    return false;
  }
  return true;
}

int BeastTransport::bind() {
  // Each connection is a descriptor; the soft limit (often 1,024) would
  // otherwise cap connections long before max_connections and the 503s.
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
  error_code ec;
  const auto address = asio::ip::make_address(s_.config.host, ec);
  if (!ec) {
    const tcp::endpoint ep(address, static_cast<unsigned short>(s_.config.port));
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    s_.log(fmt::format("cannot listen on {}:{}: {}", s_.config.host, s_.config.port, ec.message()));
    return -1;
  }
  bound_ = true;
  const int port = acceptor_.local_endpoint().port();
  s_.log(fmt::format("listening on {}://{}:{}", tls_ ? "https" : "http", s_.config.host, port));
  return port;
}

bool BeastTransport::run() {
  if (!bound_) return false;
  accept();
  schedule_summary();
  ioc_.run();
  return true;
}

void BeastTransport::accept() {
  acceptor_.async_accept(ioc_, [this](error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void BeastTransport::on_accept(error_code ec, tcp::socket socket) {
  if (stopping_ || !acceptor_.is_open()) return;
  if (ec) {
    // Out of descriptors or memory: wait a little rather than spin.
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([this](error_code e) {
      if (!e && !stopping_) accept();
    });
    return;
  }
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);  // a small answer must not wait for a delayed ACK
  const auto peer = socket.remote_endpoint(ignored);
  std::string remote = peer.address().to_string(ignored);
  const bool overflow = open_ >= s_.config.limits.max_connections;
  ++(overflow ? overflow_ : open_);
  s_.metrics.set_connections(static_cast<std::int64_t>(open_));
  auto launch = [&](auto session) {
    sessions_.push_front(session);
    session->start(sessions_.begin());
  };
  if (tls_)
    launch(std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
        *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls_), remote, overflow));
  else
    launch(std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)), remote, overflow));
  // Connections over the limit are each answered 503; when even those are
  // max_connections many, accepting pauses and newcomers wait in the
  // kernel's backlog until one of them has been answered.
  if (overflow_ >= s_.config.limits.max_connections) paused_ = true;
  else accept();
}

void BeastTransport::session_ended(bool overflow) {
  --(overflow ? overflow_ : open_);
  s_.metrics.set_connections(static_cast<std::int64_t>(open_));
  if (paused_ && !stopping_ && overflow_ < s_.config.limits.max_connections) {
    paused_ = false;
    accept();
  }
}

void BeastTransport::flush_refusals() {
  auto tallies = s_.guard.take_tallies();
  if (!tallies.empty()) s_.audit->write_refusals(tallies, s_.config.limits.audit_summary_interval_ms);
}

void BeastTransport::schedule_summary() {
  summary_timer_.expires_after(std::chrono::milliseconds(s_.config.limits.audit_summary_interval_ms));
  summary_timer_.async_wait([this](error_code ec) {
    if (ec || stopping_) return;
    flush_refusals();
    schedule_summary();
  });
}

void BeastTransport::stop() {
  asio::post(ioc_, [this] {
    if (stopping_) return;
    stopping_ = true;
    error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
    summary_timer_.cancel();
    finish_stop(Clock::now() + std::chrono::seconds(5));
  });
}

// Requests in flight get their answers (for a few seconds at most); then
// every connection is closed, and run() returns once nothing is pending.
void BeastTransport::finish_stop(Clock::time_point give_up) {
  if (in_flight_ > 0 && Clock::now() < give_up) {
    stop_timer_.expires_after(std::chrono::milliseconds(10));
    stop_timer_.async_wait([this, give_up](error_code) { finish_stop(give_up); });
    return;
  }
  flush_refusals();
  // Locked first: a session may end while being aborted, and its
  // destructor takes its entry out of the list.
  std::vector<std::shared_ptr<SessionBase>> live;
  for (auto& weak : sessions_)
    if (auto session = weak.lock()) live.push_back(std::move(session));
  for (auto& session : live) session->abort();
}

}  // namespace

std::unique_ptr<Transport> Transport::create(Server::Impl& s) {
  auto t = std::make_unique<BeastTransport>(s);
  if (s.config.tls && !t->init_tls()) return nullptr;
  return t;
}

}  // namespace shiki::http
