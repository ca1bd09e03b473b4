#pragma once

// A posture check reads the inventory and produces findings. Each check is one file under
// posture/checks/ with its positive and negative examples beside it, and registers itself in
// posture/registry.cpp.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace keyward::posture {

struct PostureOptions {
  int unused_days = 90;    // an access key unused this long is stale
  int rotation_days = 90;  // an access key older than this is due for rotation
  int grace_days = 7;      // a never-used key younger than this is not stale
  std::optional<core::UnixTime> as_of;  // --as-of; else the credential report's time; else now
};

// Activity of one credential or identity over everything ingested.
struct ActivityProfile {
  long long events = 0;
  std::optional<core::UnixTime> first_seen;
  std::optional<core::UnixTime> last_seen;
  std::vector<std::string> networks;            // distinct networks (ASN when known, else IP)
  std::vector<std::string> user_agent_families; // distinct families
};

// The inventory a check reads, loaded once per posture run.
struct Inventory {
  std::vector<core::Identity> identities;
  std::map<std::string, std::vector<core::Credential>> credentials;  // by identity id
  std::map<std::string, std::vector<core::Grant>> grants;            // by identity id
  std::map<std::string, ActivityProfile> activity_by_identity;
  std::map<std::string, ActivityProfile> activity_by_credential;
  core::UnixTime as_of = 0;
  std::string as_of_source;  // "--as-of", "credential report GeneratedTime", "now"
};

class Check {
 public:
  virtual ~Check() = default;
  virtual std::string_view id() const = 0;  // stable, e.g. "aws.access_key.unused"
  virtual std::string_view title() const = 0;
  virtual core::Severity severity() const = 0;
  virtual std::string_view owasp() const = 0;  // "NHI7"
  // Appends findings; the engine fills score, as_of and identity names.
  virtual void run(const Inventory& inventory, const PostureOptions& options,
                   std::vector<core::Finding>& findings) const = 0;
};

// Creates one instance of every registered check.
std::vector<std::unique_ptr<Check>> make_checks();

}  // namespace keyward::posture
