// aws.credential.used_after_owner_left: an IAM user's credentials are used although the person
// the inventory names as its owner has left: their directory account (Okta, Entra ID, Google
// Workspace, ...) is suspended, deactivated or deleted. Offboarding disables the person's own
// sign-in but seldom the service keys they created or looked after, and those keys keep working
// for whoever still has them: the former employee, or anyone who copied them from their laptop.
//
// The owner comes from the inventory record of the IAM user: Identity::owner, else an "owner",
// "Owner", "owner_email" or "OwnerEmail" tag. The person is looked up by that value
// (find_identities matches ids, names and e-mail addresses stored as names).

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.credential.used_after_owner_left";
constexpr std::string_view kTitle = "AWS credential used after its owner left";

std::string owner_of(const core::Identity& identity) {
  if (!identity.owner.empty()) return identity.owner;
  const auto tags = identity.attributes.find("tags");
  if (tags == identity.attributes.end() || !tags->is_object()) return {};
  for (const char* key : {"owner", "Owner", "owner_email", "OwnerEmail"}) {
    const std::string value = aws::string_field(*tags, key);
    if (!value.empty()) return value;
  }
  return {};
}

// The owner's directory account when it is no longer active, or nullptr. An owner listed by
// several directories counts as gone only when none of its accounts is active.
const core::Identity* departed_person(DetectContext& ctx, const std::string& owner) {
  const core::Identity* departed = nullptr;
  for (const core::Identity& person : ctx.find_identities(owner)) {
    if (person.classification != core::Classification::human) continue;
    if (person.status == "active") return nullptr;
    if (departed == nullptr) departed = &person;
  }
  return departed;
}

class KeyUsedAfterOwnerLeft final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An IAM user's credentials are used while the person named as its owner is suspended or deprovisioned in the directory.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.identity_type != "IAMUser" || !event.error_code.empty()) return;
    if (aws::is_aws_service_caller(event)) return;
    const core::Identity* user = ctx.find_identity("aws", event.identity_id);
    if (user == nullptr) return;
    const std::string owner = owner_of(*user);
    if (owner.empty()) return;
    const core::Identity* person = departed_person(ctx, owner);
    if (person == nullptr) return;

    core::Alert alert = aws::make_alert(kId, kTitle, core::Severity::high, 80, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} called {} from {}; its owner {} is {} in {} ({})", baseline::describe_entity(event),
                           aws::short_action(event), baseline::printable(event.source_ip, 64),
                           baseline::printable(owner, 120), person->status, person->platform,
                           baseline::printable(person->id, 80))));
    alert.remediation = fmt::format(
        "Give the IAM user a new owner, confirm with them that this use is expected, and rotate its keys, since "
        "the former owner may still hold them. Until then contain it: {}",
        aws::containment_command(event));
    const std::string credential = aws::long_lived_key_of(event);
    alert.dedupe_key = fmt::format("{}|{}", credential.empty() ? event.identity_id : credential, aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(KeyUsedAfterOwnerLeft);

}  // namespace
}  // namespace keyward::detect
