// aws.secrets.read_burst: one identity reads many distinct secrets in a short window: Secrets
// Manager secret values, SSM parameters read with decryption, or EC2 Windows password data. An
// application reads the few secrets it needs; harvesting reads everything it can reach
// (Stratus: aws.credential-access.secretsmanager-retrieve-secrets,
// aws.credential-access.ssm-retrieve-securestring-parameters).

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/burst_window.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.secrets.read_burst";
constexpr std::string_view kTitle = "Burst of secret reads by one identity";
// An application typically reads one to three secrets at start-up; five distinct ones inside the
// burst window is already a sweep rather than configuration loading.
constexpr size_t kDistinctSecretThreshold = 5;

void add_strings(const nlohmann::json& list, std::string_view prefix, std::vector<std::string>& keys) {
  if (!list.is_array()) return;
  for (const auto& item : list) {
    if (item.is_string()) keys.push_back(fmt::format("{}{}", prefix, item.get<std::string>()));
  }
}

// The secrets one successful call read, and whether the call alone reads an open-ended set.
struct SecretRead {
  std::vector<std::string> keys;
  bool bulk = false;
};

SecretRead secrets_read(const core::Event& event) {
  SecretRead read;
  const std::string_view source = event.event_source;
  const std::string_view name = event.event_name;
  const bool secrets_manager = source == "secretsmanager.amazonaws.com";
  const bool ssm = source == "ssm.amazonaws.com";
  const bool ec2 = source == "ec2.amazonaws.com";
  if (!(secrets_manager && (name == "GetSecretValue" || name == "BatchGetSecretValue")) &&
      !(ssm && (name == "GetParameter" || name == "GetParameters" || name == "GetParametersByPath")) &&
      !(ec2 && name == "GetPasswordData")) {
    return read;
  }
  const nlohmann::json params = aws::parse_json(event.request_parameters);
  if (name == "GetSecretValue") {
    const std::string id = aws::string_field(params, "secretId");
    if (!id.empty()) read.keys.push_back("secret:" + id);
  } else if (name == "BatchGetSecretValue") {
    if (params.is_object() && params.contains("secretIdList")) add_strings(params["secretIdList"], "secret:", read.keys);
    // A filter selects every matching secret, however many there are.
    read.bulk = params.is_object() && params.contains("filters");
  } else if (ssm && aws::bool_field(params, "withDecryption")) {
    if (name == "GetParameter") read.keys.push_back("parameter:" + aws::string_field(params, "name"));
    if (name == "GetParameters" && params.contains("names")) add_strings(params["names"], "parameter:", read.keys);
    if (name == "GetParametersByPath") {
      read.keys.push_back("parameter-path:" + aws::string_field(params, "path"));
      read.bulk = aws::bool_field(params, "recursive") && aws::string_field(params, "path") == "/";
    }
  } else if (name == "GetPasswordData") {
    const std::string instance = aws::string_field(params, "instanceId");
    if (!instance.empty()) read.keys.push_back("instance:" + instance);
  }
  return read;
}

class SecretReadBurst final : public Detector {
 public:
  explicit SecretReadBurst(size_t threshold = kDistinctSecretThreshold) : threshold_(threshold) {}

  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "One identity reads many distinct secrets in a short window (Secrets Manager values, decrypted SSM parameters, EC2 password data).";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!event.error_code.empty() || aws::is_aws_service_caller(event)) return;
    SecretRead read = secrets_read(event);
    if (read.keys.empty() && !read.bulk) return;
    window_for(ctx).add(event, read.keys, [&] { return describe(event, read); }, closed_, read.bulk);
    raise_closed(ctx);
  }

  void finish(DetectContext& ctx) override {
    if (window_) window_->drain(closed_);
    raise_closed(ctx);
  }

 private:
  aws::BurstWindow& window_for(DetectContext& ctx) {
    if (!window_) window_.emplace(ctx.options().burst_window_seconds, threshold_);
    return *window_;
  }

  static std::string describe(const core::Event& event, const SecretRead& read) {
    std::string secrets = read.keys.empty() ? std::string("secrets selected by a filter") : read.keys.front();
    if (read.keys.size() > 1) secrets += fmt::format(" and {} more", read.keys.size() - 1);
    return fmt::format("{} read {} ({} from {})", event.identity_id, secrets, aws::short_action(event), event.source_ip);
  }

  void raise_closed(DetectContext& ctx) {
    for (const auto& burst : closed_) {
      core::Alert alert = aws::make_burst_alert(kId, kTitle, core::Severity::high, 75, burst);
      std::string sample;
      for (const auto& key : burst.sample_keys) sample += (sample.empty() ? "" : ", ") + key;
      alert.evidence.insert(alert.evidence.begin(),
                            core::Evidence{fmt::format("{} distinct secrets read in {} calls between {} and {}: {}",
                                                       burst.distinct_keys, burst.event_count,
                                                       core::format_time(burst.start), core::format_time(burst.end),
                                                       sample),
                                           {},
                                           burst.start});
      alert.remediation = fmt::format(
          "If the reads were not expected, contain the caller: {}, then rotate every secret it read, e.g. "
          "aws secretsmanager rotate-secret --secret-id ID, or aws ssm put-parameter --name NAME --type SecureString "
          "--overwrite --value NEW_VALUE",
          aws::containment_command(burst.actor_event()));
      ctx.raise(std::move(alert));
    }
    closed_.clear();
  }

  size_t threshold_;
  std::optional<aws::BurstWindow> window_;
  std::vector<aws::Burst> closed_;
};

KEYWARD_REGISTER_DETECTOR(SecretReadBurst);

}  // namespace
}  // namespace keyward::detect
