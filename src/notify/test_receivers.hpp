#pragma once

// Receivers for notification tests, listening on 127.0.0.1 only with an ephemeral port: a small
// HTTP/1.1 server that records each request and replies from a script, and syslog listeners.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace keyward::notify::testing {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

struct ScriptedResponse {
  int status = 200;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
};

// Binds a socket of `type` to 127.0.0.1 with an ephemeral port; returns the descriptor and port.
inline int bind_loopback(int type, int& port) {
  const int fd = ::socket(AF_INET, type, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return -1;
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

// Reads from `fd` until the peer closes it or 5 seconds pass without data.
inline std::string read_until_closed(int fd) {
  std::string data;
  char buffer[4096];
  for (;;) {
    pollfd poll_fd{fd, POLLIN, 0};
    if (::poll(&poll_fd, 1, 5000) <= 0) break;
    const ssize_t count = ::recv(fd, buffer, sizeof(buffer), 0);
    if (count <= 0) break;
    data.append(buffer, static_cast<size_t>(count));
  }
  return data;
}

class HttpReceiver {
 public:
  HttpReceiver() {
    listener_ = bind_loopback(SOCK_STREAM, port_);
    ::listen(listener_, 16);
    thread_ = std::thread([this] { serve(); });
  }
  ~HttpReceiver() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }

  std::string url(const std::string& path = "/hook") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

  // Replies to the next requests in order; once the script is used up, replies 200.
  void script(std::vector<ScriptedResponse> responses) {
    std::lock_guard lock(mutex_);
    for (auto& response : responses) script_.push_back(std::move(response));
  }

  std::vector<ReceivedRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd poll_fd{listener_, POLLIN, 0};
      if (::poll(&poll_fd, 1, 50) <= 0) continue;
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      handle(client);
      ::close(client);
    }
  }

  void handle(int client) {
    std::string data;
    char buffer[4096];
    size_t header_end = std::string::npos;
    size_t content_length = 0;
    while (true) {
      if (header_end != std::string::npos && data.size() >= header_end + 4 + content_length) break;
      pollfd poll_fd{client, POLLIN, 0};
      if (::poll(&poll_fd, 1, 5000) <= 0) return;
      const ssize_t count = ::recv(client, buffer, sizeof(buffer), 0);
      if (count <= 0) return;
      data.append(buffer, static_cast<size_t>(count));
      if (header_end == std::string::npos && (header_end = data.find("\r\n\r\n")) != std::string::npos) {
        content_length = parse_head(data.substr(0, header_end)).second;
      }
    }

    ReceivedRequest request = parse_head(data.substr(0, header_end)).first;
    request.body = data.substr(header_end + 4, content_length);
    ScriptedResponse response;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
      if (!script_.empty()) {
        response = script_.front();
        script_.pop_front();
      }
    }
    std::string reply = "HTTP/1.1 " + std::to_string(response.status) + " Scripted\r\n";
    for (const auto& header : response.headers) reply += header + "\r\n";
    reply += "Content-Length: " + std::to_string(response.body.size()) + "\r\nConnection: close\r\n\r\n" + response.body;
    ::send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
  }

  static std::pair<ReceivedRequest, size_t> parse_head(const std::string& head) {
    ReceivedRequest request;
    size_t content_length = 0;
    size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const size_t first_space = request_line.find(' ');
    const size_t second_space = request_line.find(' ', first_space + 1);
    request.method = request_line.substr(0, first_space);
    request.path = request_line.substr(first_space + 1, second_space - first_space - 1);
    while (line_end != std::string::npos && line_end + 2 < head.size()) {
      const size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line = head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      request.headers[name] = value;
      if (name == "content-length") content_length = std::stoul(value);
    }
    return {request, content_length};
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::deque<ScriptedResponse> script_;
  std::vector<ReceivedRequest> requests_;
};

}  // namespace keyward::notify::testing
