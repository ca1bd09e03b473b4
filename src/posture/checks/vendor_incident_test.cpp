// Runs the nhi.third_party.vendor_incident examples with $KEYWARD_DATA pointing at the
// repository's data/ directory, because the check reads data/vendor-incidents.csv and ctest runs
// from the build directory, where ./data does not exist.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "posture/check.hpp"
#include "posture/check_examples.hpp"

namespace keyward::posture {
namespace {

constexpr std::string_view kRule = "nhi.third_party.vendor_incident";

// Sets $KEYWARD_DATA for the lifetime of the object and restores the previous value.
class ScopedDataDirectory {
 public:
  explicit ScopedDataDirectory(const std::string& directory) {
    if (const char* value = std::getenv("KEYWARD_DATA")) previous_ = value;
    setenv("KEYWARD_DATA", directory.c_str(), 1);
  }
  ~ScopedDataDirectory() {
    if (previous_) {
      setenv("KEYWARD_DATA", previous_->c_str(), 1);
    } else {
      unsetenv("KEYWARD_DATA");
    }
  }
  ScopedDataDirectory(const ScopedDataDirectory&) = delete;
  ScopedDataDirectory& operator=(const ScopedDataDirectory&) = delete;

 private:
  std::optional<std::string> previous_;
};

void run_examples(const std::vector<std::string>& files, bool positive) {
  const std::string work = std::filesystem::temp_directory_path().string();
  for (const auto& file : files) {
    SCOPED_TRACE(file);
    auto outcome = run_check_example(file, kRule, work);
    ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
    EXPECT_EQ(outcome->expected.empty(), !positive);
    EXPECT_TRUE(outcome->passed()) << outcome->describe();
  }
}

TEST(VendorIncidentCheck, ExamplesWithRepositoryData) {
  const ScopedDataDirectory data(std::string(KEYWARD_SOURCE_DIR) + "/data");
  const ExampleFiles files = list_check_examples(default_examples_root() + "/vendor_incident");
  ASSERT_FALSE(files.positive.empty());
  ASSERT_FALSE(files.negative.empty());
  run_examples(files.positive, true);
  run_examples(files.negative, false);
}

TEST(VendorIncidentCheck, NoFindingWithoutIncidentFile) {
  const ScopedDataDirectory data(std::filesystem::temp_directory_path().string() + "/keyward-no-data");
  const std::string example = default_examples_root() + "/vendor_incident/positive/circleci_installed_before_incident.json";
  auto outcome = run_check_example(example, kRule, std::filesystem::temp_directory_path().string());
  ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
  // ctest's working directory has no ./data, so only $KEYWARD_DATA could supply the list.
  if (!std::filesystem::exists("data/vendor-incidents.csv")) {
    EXPECT_TRUE(outcome->actual.empty());
  }
}

}  // namespace
}  // namespace keyward::posture
