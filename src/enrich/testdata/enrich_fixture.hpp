#pragma once

// Test helper: a temporary data directory holding the MMDB files that make_test_mmdb.pl
// writes, the ASN CSV fixtures beside this file and the repository's data/cloud-asns.csv.
// Built once per test process and removed at exit. Header-only because only *_test.cpp files
// are compiled into the test binary.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "enrich/enricher.hpp"

namespace keyward::enrich::testing {

class EnrichFixture {
 public:
  // Returns the shared fixture. When perl or MaxMind::DB::Writer is missing, skip_reason() is set
  // and the caller skips. When building failed, error() describes the failure and the caller fails.
  static const EnrichFixture& get() {
    static const EnrichFixture fixture;
    return fixture;
  }

  const std::string& directory() const { return directory_; }
  // Reads the fixture's geo and ASN files and its Tor exit list.
  EnrichOptions options() const { return {directory_, directory_, directory_ + "/tor-exits.txt"}; }
  const std::string& skip_reason() const { return skip_reason_; }
  const std::string& error() const { return error_; }

  ~EnrichFixture() {
    std::error_code error;
    if (!directory_.empty()) std::filesystem::remove_all(directory_, error);
  }

 private:
  EnrichFixture() {
    namespace fs = std::filesystem;
    if (std::system("perl -MMaxMind::DB::Writer::Tree -e 1 >/dev/null 2>&1") != 0) {
      skip_reason_ = "perl with MaxMind::DB::Writer::Tree is not installed (Debian: libmaxmind-db-writer-perl)";
      return;
    }
    std::string pattern = (fs::temp_directory_path() / "keyward-enrich-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      error_ = "cannot create a temporary directory from " + pattern;
      return;
    }
    fs::path source = fs::path(KEYWARD_SOURCE_DIR);
    fs::path testdata = source / "src/enrich/testdata";
    std::string command = "perl '" + (testdata / "make_test_mmdb.pl").string() + "' '" + pattern + "'";
    if (std::system(command.c_str()) != 0) {
      error_ = "make_test_mmdb.pl failed: " + command;
      std::error_code ignored;
      fs::remove_all(pattern, ignored);
      return;
    }
    const fs::path copies[][2] = {{testdata / "asn-ipv4.csv", "asn-ipv4.csv"},
                                  {testdata / "asn-ipv6.csv", "asn-ipv6.csv"},
                                  {testdata / "tor-exits-fixture.txt", "tor-exits.txt"},
                                  {source / "data/cloud-asns.csv", "cloud-asns.csv"}};
    for (const auto& [from, name] : copies) {
      std::error_code error;
      fs::copy_file(from, fs::path(pattern) / name, error);
      if (error) {
        error_ = "cannot copy " + from.string() + ": " + error.message();
        fs::remove_all(pattern, error);
        return;
      }
    }
    directory_ = pattern;
  }

  std::string directory_;
  std::string skip_reason_;
  std::string error_;
};

}  // namespace keyward::enrich::testing
