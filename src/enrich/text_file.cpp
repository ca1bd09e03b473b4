#include "enrich/text_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace keyward::enrich {

core::Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    core::Error error = core::make_error(core::ErrorCode::io_error, fmt::format("cannot open: {}", std::strerror(errno)));
    error.file = path;
    return error;
  }
  std::string content;
  char buffer[1 << 16];
  while (true) {
    std::size_t read = std::fread(buffer, 1, sizeof buffer, file.get());
    if (read == 0) break;
    if (content.size() + read > max_bytes) {
      core::Error error = core::make_error(core::ErrorCode::limit_exceeded,
                                           fmt::format("file is larger than the {} byte limit", max_bytes));
      error.file = path;
      return error;
    }
    content.append(buffer, read);
  }
  if (std::ferror(file.get())) {
    core::Error error = core::make_error(core::ErrorCode::io_error, "read failed");
    error.file = path;
    return error;
  }
  return content;
}

void for_each_line(std::string_view text, const std::function<void(std::string_view, long long)>& visit) {
  long long number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    visit(line, ++number);
    pos = end + 1;
  }
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace keyward::enrich
