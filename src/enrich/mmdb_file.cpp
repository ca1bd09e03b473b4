#include "enrich/mmdb_file.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace keyward::enrich {

namespace {

constexpr std::size_t kMaxKeyPathLength = 8;

bool get_entry_data(MMDB_entry_s entry, std::initializer_list<const char*> path, MMDB_entry_data_s& data) {
  if (path.size() > kMaxKeyPathLength) return false;
  const char* keys[kMaxKeyPathLength + 1] = {};
  std::size_t index = 0;
  for (const char* key : path) keys[index++] = key;
  if (MMDB_aget_value(&entry, &data, keys) != MMDB_SUCCESS) return false;
  return data.has_data;
}

}  // namespace

core::Result<std::unique_ptr<MmdbFile>> MmdbFile::open(const std::string& path) {
  std::unique_ptr<MmdbFile> file(new MmdbFile());
  file->path_ = path;
  int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &file->db_);
  if (status != MMDB_SUCCESS) {
    core::Error error = core::make_error(core::ErrorCode::io_error,
                                         std::string("cannot open MaxMind DB file: ") + MMDB_strerror(status));
    error.file = path;
    return error;
  }
  file->opened_ = true;
  return file;
}

MmdbFile::~MmdbFile() {
  if (opened_) MMDB_close(&db_);
}

int MmdbFile::ip_version() const { return db_.metadata.ip_version; }

std::string_view MmdbFile::database_type() const {
  return db_.metadata.database_type != nullptr ? std::string_view(db_.metadata.database_type) : std::string_view();
}

std::optional<MMDB_entry_s> MmdbFile::find(const IpAddress& address) const {
  IpAddress target = address;
  if (target.family == IpFamily::v6 && ip_version() == 4) {
    auto v4 = target.mapped_v4();
    if (!v4) return std::nullopt;
    target = *v4;
  }

  sockaddr_in v4_addr{};
  sockaddr_in6 v6_addr{};
  const sockaddr* socket_address = nullptr;
  if (target.family == IpFamily::v4) {
    v4_addr.sin_family = AF_INET;
    std::memcpy(&v4_addr.sin_addr, target.bytes.data(), 4);
    socket_address = reinterpret_cast<const sockaddr*>(&v4_addr);
  } else {
    v6_addr.sin6_family = AF_INET6;
    std::memcpy(&v6_addr.sin6_addr, target.bytes.data(), 16);
    socket_address = reinterpret_cast<const sockaddr*>(&v6_addr);
  }

  int mmdb_error = MMDB_SUCCESS;
  MMDB_lookup_result_s result = MMDB_lookup_sockaddr(&db_, socket_address, &mmdb_error);
  if (mmdb_error != MMDB_SUCCESS || !result.found_entry) return std::nullopt;
  return result.entry;
}

std::optional<std::string> MmdbFile::get_string(MMDB_entry_s entry, std::initializer_list<const char*> path) {
  MMDB_entry_data_s data{};
  if (!get_entry_data(entry, path, data) || data.type != MMDB_DATA_TYPE_UTF8_STRING) return std::nullopt;
  return std::string(data.utf8_string, data.data_size);
}

std::optional<double> MmdbFile::get_number(MMDB_entry_s entry, std::initializer_list<const char*> path) {
  MMDB_entry_data_s data{};
  if (!get_entry_data(entry, path, data)) return std::nullopt;
  switch (data.type) {
    case MMDB_DATA_TYPE_DOUBLE: return data.double_value;
    case MMDB_DATA_TYPE_FLOAT: return static_cast<double>(data.float_value);
    case MMDB_DATA_TYPE_UINT16: return static_cast<double>(data.uint16);
    case MMDB_DATA_TYPE_UINT32: return static_cast<double>(data.uint32);
    case MMDB_DATA_TYPE_INT32: return static_cast<double>(data.int32);
    case MMDB_DATA_TYPE_UINT64: return static_cast<double>(data.uint64);
    default: return std::nullopt;
  }
}

}  // namespace keyward::enrich
