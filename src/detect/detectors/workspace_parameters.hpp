#pragma once

// Reads the parameters of a Google Workspace Reports API event back from Event::raw_record, in
// both shapes the workspace source accepts: an activity with "events": [{"name", "parameters":
// [{"name", "value" | "multiValue" | "intValue" | "boolValue"}]}], or the flattened form with one
// "parameters" object of NAME: value at the top level.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "detect/detectors/aws_event_helpers.hpp"

namespace keyward::detect::workspace {

class EventParameters {
 public:
  explicit EventParameters(const core::Event& event) {
    if (event.raw_record.empty()) return;
    nlohmann::json activity = nlohmann::json::parse(event.raw_record, nullptr, false);
    if (!activity.is_object()) return;
    auto events = activity.find("events");
    if (events != activity.end() && events->is_array()) {
      // An activity may hold several events; take the one this Event came from.
      for (const nlohmann::json& item : *events) {
        if (item.is_object() && item.value("name", std::string()) == event.event_name && item.contains("parameters")) {
          parameters_ = item["parameters"];
          return;
        }
      }
      return;
    }
    if (activity.contains("parameters")) parameters_ = activity["parameters"];
  }

  // The values of parameter `name`: one for a single value, several for a multiValue list.
  std::vector<std::string> values(std::string_view name) const {
    std::vector<std::string> out;
    if (parameters_.is_array()) {
      for (const nlohmann::json& entry : parameters_) {
        if (!entry.is_object() || entry.value("name", std::string()) != name) continue;
        if (entry.contains("multiValue")) return strings_of(entry["multiValue"]);
        for (const char* key : {"value", "intValue", "boolValue"}) {
          if (entry.contains(key)) return strings_of(entry[key]);
        }
        return out;
      }
      return out;
    }
    if (parameters_.is_object()) {
      auto found = parameters_.find(std::string(name));
      if (found != parameters_.end()) return strings_of(*found);
    }
    return out;
  }

  // The first value of parameter `name`, or "" when the event does not carry it.
  std::string text(std::string_view name) const {
    std::vector<std::string> all = values(name);
    return all.empty() ? std::string() : all.front();
  }

 private:
  static std::vector<std::string> strings_of(const nlohmann::json& value) {
    std::vector<std::string> out;
    if (value.is_array()) {
      for (const nlohmann::json& item : value) {
        if (item.is_string()) out.push_back(item.get<std::string>());
      }
    } else if (value.is_string()) {
      out.push_back(value.get<std::string>());
    } else if (value.is_number() || value.is_boolean()) {
      out.push_back(value.dump());
    }
    return out;
  }

  nlohmann::json parameters_;
};

// The Directory API call that ends every session of a user, for containing an admin whose change
// was not planned. detect::containment_command revokes OAuth tokens, which an admin event names none of.
inline std::string sign_out_command(std::string_view user) {
  return "curl -X POST -H \"Authorization: Bearer $(gcloud auth print-access-token)\" "
         "https://admin.googleapis.com/admin/directory/v1/users/" +
         aws::shell_word(user) + "/signOut";
}

}  // namespace keyward::detect::workspace
