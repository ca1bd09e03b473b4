#include "enrich/user_agent.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace keyward::enrich {

namespace {

// Only the start of a user agent is read; AWS truncates the field well below this.
constexpr std::size_t kMaxScannedLength = 4096;

struct Marker {
  std::string_view needle;  // lowercase
  std::string_view name;
};

// Tools that exist to attack AWS accounts or to harvest credentials.
constexpr std::array kOffensiveTools = {
    Marker{"pacu", "Pacu"},
    Marker{"trufflehog", "TruffleHog"},
    Marker{"cloudfox", "CloudFox"},
    Marker{"stratus-red-team", "Stratus Red Team"},
    Marker{"weirdaal", "WeirdAAL"},
};

// Auditors that read configuration; noisy, but not an attack by themselves.
constexpr std::array kSecurityScanners = {
    Marker{"scoutsuite", "ScoutSuite"},
    Marker{"scout suite", "ScoutSuite"},
    Marker{"prowler", "Prowler"},
    Marker{"cloudsploit", "CloudSploit"},
    Marker{"cloudmapper", "CloudMapper"},
};

// Penetration-testing distributions, as they appear in kernel release strings
// ("Linux/6.5.0-kali3-amd64", "Linux/5.10.0-6parrot1-amd64") and AWS CLI v2 "exe/" tokens.
constexpr std::array kPentestDistributions = {
    Marker{"kali", "Kali Linux"},
    Marker{"parrot", "Parrot OS"},
    Marker{"pentoo", "Pentoo"},
};

// Ordered: go-v2 before go, and every SDK after aws-cli (whose user agent contains botocore).
constexpr std::array kSdkMarkers = {
    Marker{"aws-sdk-go-v2/", "aws-sdk-go-v2"},   Marker{"aws-sdk-go/", "aws-sdk-go"},
    Marker{"boto3/", "aws-sdk-python"},          Marker{"botocore/", "aws-sdk-python"},
    Marker{"aws-sdk-java/", "aws-sdk-java"},     Marker{"aws-sdk-js/", "aws-sdk-js"},
    Marker{"aws-sdk-nodejs/", "aws-sdk-js"},     Marker{"aws-sdk-ruby", "aws-sdk-ruby"},
    Marker{"aws-sdk-dotnet", "aws-sdk-dotnet"},  Marker{"aws-sdk-php", "aws-sdk-php"},
    Marker{"aws-sdk-rust/", "aws-sdk-rust"},     Marker{"aws-sdk-cpp/", "aws-sdk-cpp"},
};

// "PowerShell/7.3" and "WindowsPowerShell/5.1" are both PowerShell's web cmdlets.
constexpr std::array kScriptingClients = {
    Marker{"powershell/", "powershell"},       Marker{"windowspowershell/", "powershell"},
    Marker{"curl/", "curl"},                   Marker{"wget/", "wget"},
    Marker{"python-requests/", "python-requests"}, Marker{"python-urllib/", "python-urllib"},
    Marker{"go-http-client/", "go-http-client"},
};

bool is_alpha(char c) { return c >= 'a' && c <= 'z'; }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

bool contains(std::string_view text, std::string_view needle) { return text.find(needle) != std::string_view::npos; }

// True when `needle` occurs with no character of `word_char` on either side.
template <class WordChar>
bool contains_word(std::string_view text, std::string_view needle, WordChar word_char) {
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + 1)) {
    bool left_ok = pos == 0 || !word_char(text[pos - 1]);
    std::size_t end = pos + needle.size();
    bool right_ok = end >= text.size() || !word_char(text[end]);
    if (left_ok && right_ok) return true;
  }
  return false;
}

// True when `needle` occurs at the start of the text or after a character that is not a
// letter or digit ("curl/" in "curl/8.4.0" but not in "libcurl/8.4.0").
bool contains_token(std::string_view text, std::string_view needle) {
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + 1)) {
    if (pos == 0 || !is_alnum(text[pos - 1])) return true;
  }
  return false;
}

bool is_console(std::string_view lower) {
  if (lower == "aws internal") return true;
  if (contains(lower, "console.amazonaws.com") || contains(lower, "signin.amazonaws.com")) return true;
  if (contains(lower, "s3console/")) return true;
  // Service consoles log their own host, e.g. "console.ec2.amazonaws.com".
  return lower.starts_with("console.") && lower.ends_with(".amazonaws.com");
}

bool is_aws_service(std::string_view lower) {
  if (lower.starts_with("aws-internal") || contains(lower, "aws-internal/")) return true;
  if (lower.starts_with("awslambda-worker/")) return true;
  return lower.ends_with(".amazonaws.com") && lower.find(' ') == std::string_view::npos;
}

// The family of a user agent that is neither an offensive tool nor a scanner.
std::string_view family_of(std::string_view lower) {
  // Console wrappers such as "[S3Console/0.4, aws-internal/3 ...]" start with a bracket.
  std::string_view stripped = lower;
  while (!stripped.empty() && (stripped.front() == '[' || stripped.front() == ' ')) stripped.remove_prefix(1);

  if (contains(lower, "terraform")) return "terraform";
  if (contains(lower, "pulumi")) return "pulumi";
  if (contains(lower, "cloudformation.amazonaws.com")) return "cloudformation";
  if (is_console(lower)) return "aws-console";
  if (stripped.starts_with("aws-cli/")) return "aws-cli";
  if (is_aws_service(stripped)) return "aws-service";
  for (const Marker& sdk : kSdkMarkers) {
    if (contains(lower, sdk.needle)) return sdk.name;
  }
  for (const Marker& client : kScriptingClients) {
    if (contains_token(lower, client.needle)) return client.name;
  }
  if (stripped.starts_with("mozilla/") || stripped.starts_with("opera/")) return "browser";
  return "other";
}

}  // namespace

const std::vector<std::string>& user_agent_families() {
  static const std::vector<std::string> families = [] {
    std::vector<std::string> list = {"unknown", "other", "offensive-tool", "security-scanner", "terraform",
                                     "pulumi", "cloudformation", "aws-console", "aws-cli", "aws-service", "browser"};
    for (const auto& markers : {std::vector<Marker>(kSdkMarkers.begin(), kSdkMarkers.end()),
                                std::vector<Marker>(kScriptingClients.begin(), kScriptingClients.end())}) {
      for (const Marker& marker : markers) {
        if (std::find(list.begin(), list.end(), marker.name) == list.end()) list.emplace_back(marker.name);
      }
    }
    return list;
  }();
  return families;
}

UserAgentInfo classify_user_agent(std::string_view user_agent) {
  std::string lower(user_agent.substr(0, kMaxScannedLength));
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::string_view text = lower;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return {"unknown", false, {}};

  for (const Marker& tool : kOffensiveTools) {
    if (contains_word(text, tool.needle, is_alnum)) return {"offensive-tool", true, tool.name};
  }
  for (const Marker& scanner : kSecurityScanners) {
    if (contains(text, scanner.needle)) return {"security-scanner", false, scanner.name};
  }

  UserAgentInfo info{family_of(text), false, {}};
  for (const Marker& distribution : kPentestDistributions) {
    if (contains_word(text, distribution.needle, is_alpha)) {
      info.offensive = true;
      info.marker = distribution.name;
      break;
    }
  }
  return info;
}

}  // namespace keyward::enrich
