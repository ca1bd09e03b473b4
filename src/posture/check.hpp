#pragma once

// A posture check reads the inventory and produces findings. Each check is one file under
// posture/checks/ with its positive and negative examples in posture/checks/testdata/<file stem>/,
// and registers itself with KEYWARD_REGISTER_CHECK, so adding a check touches no other file.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "report/inventory.hpp"

namespace keyward::posture {

// Thresholds in days. Checks read them through PostureOptions::for_identity, so a platform or a
// tag can set its own.
struct Thresholds {
  int unused_days = 90;          // a credential or app unused this long is stale
  int rotation_days = 90;        // a secret older than this is due for rotation
  int grace_days = 7;            // a never-used credential younger than this is not stale
  int expiry_warning_days = 30;  // a secret expiring within this many days is reported
  int max_lifetime_days = 365;   // a secret valid for longer than this counts as long-lived
};

// Values that replace some of the defaults; unset fields keep the value below them.
struct ThresholdOverride {
  std::optional<int> unused_days;
  std::optional<int> rotation_days;
  std::optional<int> grace_days;
  std::optional<int> expiry_warning_days;
  std::optional<int> max_lifetime_days;

  void apply_to(Thresholds& thresholds) const;
};

// Thresholds for identities carrying a tag: `key` alone matches any value.
struct TagThresholds {
  std::string key;
  std::optional<std::string> value;
  ThresholdOverride values;
};

struct PostureOptions {
  Thresholds defaults;
  std::map<std::string, ThresholdOverride> platforms;  // by platform name
  std::vector<TagThresholds> tags;                     // applied in order, after the platform's
  std::optional<core::UnixTime> as_of;  // --as-of; else the credential report's time; else now

  // Returns the defaults, then the identity's platform override, then every matching tag rule
  // in order. Tags are the identity's attributes "tags" object (key to value).
  Thresholds for_identity(const core::Identity& identity) const;
  Thresholds for_platform(std::string_view platform) const;
};

// Activity of one credential or identity over everything ingested.
struct ActivityProfile {
  long long events = 0;
  std::optional<core::UnixTime> first_seen;
  std::optional<core::UnixTime> last_seen;
  std::vector<std::string> networks;            // distinct networks (ASN when known, else IP)
  std::vector<std::string> user_agent_families; // distinct families
  std::vector<std::string> actions;             // distinct actions that succeeded
};

// The inventory a check reads, loaded once per posture run.
struct Inventory {
  std::vector<core::Identity> identities;
  std::map<std::string, std::vector<core::Credential>> credentials;  // by identity id
  std::map<std::string, std::vector<core::Grant>> grants;            // by identity id
  std::map<std::string, ActivityProfile> activity_by_identity;
  std::map<std::string, ActivityProfile> activity_by_credential;
  std::vector<core::ActivitySummary> activity;  // every daily summary, aliases resolved
  // Secrets `keyward scan` stored, with matched_credential_id and matched_identity_id set by
  // secrets::join_exposures against this inventory when it was loaded.
  std::vector<core::Exposure> exposures;
  core::UnixTime as_of = 0;
  std::string as_of_source;  // "--as-of", "credential report GeneratedTime", "now"

  // The inventory view of every identity (people included), with resolved owner, vendor,
  // privilege, scopes and connections; entry_index maps "<platform>\x1f<identity id>" to it.
  std::vector<report::InventoryEntry> entries;
  std::map<std::string, size_t> entry_index;
  std::shared_ptr<const inventory::VendorCatalog> catalog;  // null when no catalog was found

  // Returns the inventory entry of an identity, or nullptr.
  const report::InventoryEntry* entry_of(std::string_view platform, std::string_view identity_id) const;
};

class Check {
 public:
  virtual ~Check() = default;
  virtual std::string_view id() const = 0;  // stable, e.g. "aws.access_key.unused"
  virtual std::string_view title() const = 0;
  virtual core::Severity severity() const = 0;
  virtual std::string_view owasp() const = 0;  // "NHI7"
  // Why the issue matters and what an attacker does with it, in two or three sentences. SARIF,
  // the HTML report and `keyward rules list` show it.
  virtual std::string_view description() const = 0;
  // Platforms the check evaluates, or {"*"} for every platform.
  virtual std::vector<std::string_view> platforms() const = 0;
  // Appends findings; the engine fills score, as_of and identity names.
  virtual void run(const Inventory& inventory, const PostureOptions& options,
                   std::vector<core::Finding>& findings) const = 0;
};

using CheckFactory = std::unique_ptr<Check> (*)();

// A check and the folder name of its examples (the stem of the file that registered it).
struct RegisteredCheck {
  std::unique_ptr<Check> check;
  std::string examples_folder;
};

// Records a check factory at static initialization; use KEYWARD_REGISTER_CHECK.
struct CheckRegistration {
  CheckRegistration(CheckFactory factory, const char* file);
};

// Creates one instance of every registered check, ordered by id.
std::vector<std::unique_ptr<Check>> make_checks();
std::vector<RegisteredCheck> registered_checks();

// Directory holding the check examples of this source tree.
std::string default_examples_root();

}  // namespace keyward::posture

// Registers check class `Type`, which must be default-constructible, from its own .cpp file.
#define KEYWARD_REGISTER_CHECK(Type)                                                       \
  static const ::keyward::posture::CheckRegistration keyward_check_registration_##Type( \
      []() -> std::unique_ptr<::keyward::posture::Check> { return std::make_unique<Type>(); }, __FILE__)

namespace keyward::posture {

}  // namespace keyward::posture
