// Every platform's fixtures must be recognized by the source they were written for, so one
// platform's detection never takes another platform's export. The convention: valid examples of
// source NAME live in src/sources/<platform>/testdata/NAME/, and files whose names start with
// "bad_" (inputs that should fail) are not checked here.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/input_reader.hpp"
#include "sources/source.hpp"

namespace keyward {
namespace {

constexpr size_t kDetectHeadBytes = 64 * 1024;

TEST(SourceDetection, FixturesDetectedBySourceOfTheirFolder) {
  const std::filesystem::path root = std::filesystem::path(KEYWARD_SOURCE_DIR) / "src" / "sources";
  int checked = 0;
  for (const auto& platform : std::filesystem::directory_iterator(root)) {
    const auto testdata = platform.path() / "testdata";
    if (!std::filesystem::is_directory(testdata)) continue;
    for (const auto& folder : std::filesystem::directory_iterator(testdata)) {
      const std::string source_name = folder.path().filename().string();
      if (!folder.is_directory() || sources::find_source(source_name) == nullptr) continue;
      for (const auto& file : std::filesystem::recursive_directory_iterator(folder.path())) {
        if (!file.is_regular_file()) continue;
        const std::string name = file.path().filename().string();
        if (name.rfind("bad_", 0) == 0 || name.find(".golden.") != std::string::npos) continue;
        auto loaded = ingest::load_input(file.path().string());
        ASSERT_TRUE(loaded) << loaded.error().describe();
        const std::string_view data = loaded->data();
        const sources::Source* detected = sources::detect_source(data.substr(0, kDetectHeadBytes), file.path().string());
        ASSERT_NE(detected, nullptr) << file.path() << " is not recognized by any source";
        EXPECT_EQ(detected->name(), source_name) << file.path();
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 0) << "no fixtures found under " << root;
}

}  // namespace
}  // namespace keyward
