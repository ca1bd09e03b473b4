#include "tools/generator/names.hpp"

namespace keyward::generator {

const std::vector<std::string>& app_names() {
  static const std::vector<std::string> kNames = {
    "payments",  "orders",     "billing",   "search",    "notifications", "inventory", "checkout",  "auth",
    "profile",   "recommender", "catalog",  "shipping",  "pricing",       "analytics", "ledger",    "invoicing",
    "fraud",     "email",      "media",     "webhooks",  "scheduler",     "imports",   "partners",  "loyalty",
    "reviews",   "support",    "chat",      "gateway",   "geocoder",      "thumbnails", "audit-log", "quotes",
    "contracts", "onboarding", "referrals", "tax",       "sessions",      "feeds",     "documents", "forecasts"};
  return kNames;
}

const std::vector<std::string>& vendor_names() {
  static const std::vector<std::string> kNames = {
    "snowflake", "segment", "fivetran", "looker", "tableau", "hubspot", "zendesk", "pagerduty",
    "sentry",    "circleci", "vercel",  "mongodb-atlas", "confluent", "braze", "mixpanel", "algolia"};
  return kNames;
}

const std::vector<std::string>& first_names() {
  static const std::vector<std::string> kNames = {
    "james", "mary", "robert", "patricia", "john", "jennifer", "michael", "linda", "david", "elizabeth",
    "william", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "chris", "karen",
    "daniel", "lisa", "matthew", "nancy", "anthony", "sandra", "mark", "ashley", "steven", "emily",
    "paul", "michelle", "andrew", "amanda", "joshua", "melissa", "kevin", "stephanie", "brian", "rebecca",
    "jonas", "lena", "felix", "anna", "lukas", "sophie", "oliver", "amelia", "priya", "arjun",
    "wei", "mei", "kenji", "yuki", "omar", "fatima", "diego", "lucia", "ivan", "olga"};
  return kNames;
}

const std::vector<std::string>& last_names() {
  static const std::vector<std::string> kNames = {
    "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
    "hernandez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez",
    "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young",
    "allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores", "green", "adams",
    "mueller", "schmidt", "schneider", "fischer", "weber", "becker", "patel", "shah", "kumar", "chen",
    "wang", "tanaka", "sato", "novak", "kowalski", "silva", "costa", "murphy", "kelly", "obrien"};
  return kNames;
}

}  // namespace keyward::generator
