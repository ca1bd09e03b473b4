// Syslog channel: RFC 5424 messages over UDP (RFC 5426, one message per datagram) or TCP with
// octet-counting framing (RFC 6587 section 3.4.1: "LENGTH SP MESSAGE"). MSG is the alert as JSON,
// without a byte order mark, which RFC 5424 allows (MSG-ANY).

#include <fmt/format.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "core/time.hpp"
#include "notify/channel.hpp"

namespace keyward::notify {
namespace {

// Datagrams longer than this drop the evidence and remediation first: RFC 5426 only requires
// receivers to take 480 bytes over IPv4 and recommends 2048, and common collectors accept 8 KiB.
constexpr size_t kMaxDatagramBytes = 8192;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// RFC 5424 severity of an alert severity: critical 2 (critical), high 3 (error), medium 4
// (warning), low 5 (notice), info 6 (informational).
int syslog_severity(core::Severity severity) {
  switch (severity) {
    case core::Severity::critical: return 2;
    case core::Severity::high: return 3;
    case core::Severity::medium: return 4;
    case core::Severity::low: return 5;
    case core::Severity::info: return 6;
  }
  return 6;
}

// Replaces characters outside printable US-ASCII, which RFC 5424 forbids in HOSTNAME.
std::string printable_ascii(std::string text) {
  for (char& c : text) {
    if (c < 33 || c > 126) c = '_';
  }
  return text.substr(0, 255);
}

std::string format_message(const core::Alert& alert, const ChannelSettings& settings, const std::string& host,
                           bool datagram) {
  nlohmann::json payload = alert_payload(alert);
  std::string body = payload.dump();
  if (datagram && body.size() > kMaxDatagramBytes - 300) {
    payload["evidence"] = nlohmann::json::array();
    payload["remediation"] = "";
    payload["truncated"] = true;
    body = payload.dump();
  }
  const int priority = settings.facility * 8 + syslog_severity(alert.severity);
  // HEADER: <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, then STRUCTURED-DATA ("-": none).
  return fmt::format("<{}>1 {} {} keyward {} alert - {}", priority, core::format_time(core::now()), host,
                     static_cast<long>(::getpid()), body);
}

struct AddressList {
  addrinfo* head = nullptr;
  ~AddressList() {
    if (head) freeaddrinfo(head);
  }
};

core::Status resolve(const ChannelSettings& settings, int socket_type, AddressList& addresses) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = socket_type;
  const std::string port = std::to_string(settings.port);
  const int rc = getaddrinfo(settings.host.c_str(), port.c_str(), &hints, &addresses.head);
  if (rc != 0) {
    return core::make_error(core::ErrorCode::io_error, fmt::format("cannot resolve {}: {}", settings.host, gai_strerror(rc)));
  }
  return {};
}

std::string endpoint(const ChannelSettings& settings) {
  return fmt::format("{}://{}:{}", settings.tcp ? "tcp" : "udp", settings.host, settings.port);
}

core::Status send_udp(const std::vector<std::string>& messages, const ChannelSettings& settings) {
  AddressList addresses;
  if (auto status = resolve(settings, SOCK_DGRAM, addresses); !status) return status;
  const addrinfo* address = addresses.head;
  Socket socket(::socket(address->ai_family, address->ai_socktype, address->ai_protocol));
  if (socket.get() < 0) return core::make_error(core::ErrorCode::io_error, fmt::format("socket: {}", std::strerror(errno)));
  for (const auto& message : messages) {
    if (::sendto(socket.get(), message.data(), message.size(), 0, address->ai_addr, address->ai_addrlen) < 0) {
      return core::make_error(core::ErrorCode::io_error, fmt::format("sending a datagram failed: {}", std::strerror(errno)));
    }
  }
  return {};
}

// Connects with a timeout: a non-blocking connect, then poll for writability.
core::Status connect_with_timeout(int fd, const addrinfo* address, std::chrono::seconds timeout) {
  if (::connect(fd, address->ai_addr, address->ai_addrlen) == 0) return {};
  if (errno != EINPROGRESS) return core::make_error(core::ErrorCode::io_error, fmt::format("connect: {}", std::strerror(errno)));
  pollfd poll_fd{fd, POLLOUT, 0};
  const int ready = ::poll(&poll_fd, 1, static_cast<int>(timeout.count() * 1000));
  if (ready == 0) return core::make_error(core::ErrorCode::io_error, "connect timed out");
  int error = 0;
  socklen_t length = sizeof(error);
  if (ready < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
    return core::make_error(core::ErrorCode::io_error, fmt::format("connect: {}", std::strerror(error != 0 ? error : errno)));
  }
  return {};
}

core::Status send_tcp(const std::vector<std::string>& messages, const ChannelSettings& settings) {
  AddressList addresses;
  if (auto status = resolve(settings, SOCK_STREAM, addresses); !status) return status;
  const addrinfo* address = addresses.head;
  Socket socket(::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK, address->ai_protocol));
  if (socket.get() < 0) return core::make_error(core::ErrorCode::io_error, fmt::format("socket: {}", std::strerror(errno)));
  if (auto status = connect_with_timeout(socket.get(), address, settings.retry.timeout); !status) return status;

  std::string stream;
  for (const auto& message : messages) stream += fmt::format("{} {}", message.size(), message);
  size_t sent = 0;
  while (sent < stream.size()) {
    const ssize_t written = ::send(socket.get(), stream.data() + sent, stream.size() - sent, MSG_NOSIGNAL);
    if (written > 0) {
      sent += static_cast<size_t>(written);
      continue;
    }
    if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd poll_fd{socket.get(), POLLOUT, 0};
      if (::poll(&poll_fd, 1, static_cast<int>(settings.retry.timeout.count() * 1000)) <= 0) {
        return core::make_error(core::ErrorCode::io_error, "sending timed out");
      }
      continue;
    }
    return core::make_error(core::ErrorCode::io_error, fmt::format("sending failed: {}", std::strerror(errno)));
  }
  return {};
}

class SyslogChannel final : public Channel {
 public:
  explicit SyslogChannel(ChannelSettings settings)
      : Channel(std::move(settings)), host_(printable_ascii(local_host_name())) {}

  core::Status deliver(const std::vector<core::Alert>& alerts) override {
    std::vector<std::string> messages;
    for (const auto& alert : alerts) messages.push_back(format_message(alert, settings_, host_, !settings_.tcp));

    const RetryPolicy& policy = settings_.retry;
    std::chrono::milliseconds backoff = policy.initial_backoff;
    for (int attempt = 1;; ++attempt) {
      // UDP has no acknowledgement, so only local failures (resolution, socket) are seen and retried.
      core::Status status = settings_.tcp ? send_tcp(messages, settings_) : send_udp(messages, settings_);
      if (status) return {};
      if (attempt >= std::max(1, policy.max_attempts)) {
        return core::make_error(core::ErrorCode::io_error,
                                fmt::format("notification channel '{}': delivery to {} failed after {} attempt(s): {}",
                                            settings_.name, endpoint(settings_), attempt, status.error().message));
      }
      // NOTE: a TCP retry resends every message of the batch, so a receiver that took part of the
      // stream before the connection broke gets those messages twice.
      if (policy.sleep) {
        policy.sleep(std::min(backoff, policy.max_backoff));
      } else {
        std::this_thread::sleep_for(std::min(backoff, policy.max_backoff));
      }
      backoff = std::min(backoff * 2, policy.max_backoff);
    }
  }

 private:
  std::string host_;
};

}  // namespace

std::unique_ptr<Channel> make_syslog_channel(ChannelSettings settings) {
  return std::make_unique<SyslogChannel>(std::move(settings));
}

}  // namespace keyward::notify
