#include "report/detail/json_out.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cmath>

#include "common/json_text.h"

namespace cguard::report::detail {

struct JsonOut::Impl {
    rapidjson::StringBuffer buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer{buffer};
};

JsonOut::JsonOut() : impl_(std::make_unique<Impl>()) {
    impl_->writer.SetIndent(' ', 2);
}

JsonOut::~JsonOut() = default;

void JsonOut::begin_object() {
    impl_->writer.StartObject();
}
void JsonOut::end_object() {
    impl_->writer.EndObject();
}
void JsonOut::begin_array() {
    impl_->writer.StartArray();
}
void JsonOut::end_array() {
    impl_->writer.EndArray();
}

void JsonOut::key(std::string_view name) {
    std::string clean = json::sanitize_utf8(name);
    impl_->writer.Key(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void JsonOut::string(std::string_view value) {
    std::string clean = json::sanitize_utf8(value);
    impl_->writer.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void JsonOut::number(double value) {
    // RapidJSON refuses non-finite doubles and would leave a hole in the document.
    if (!std::isfinite(value)) {
        impl_->writer.Null();
        return;
    }
    impl_->writer.Double(value);
}

void JsonOut::uint(uint64_t value) {
    impl_->writer.Uint64(value);
}
void JsonOut::boolean(bool value) {
    impl_->writer.Bool(value);
}
void JsonOut::null() {
    impl_->writer.Null();
}

void JsonOut::field(std::string_view name, std::string_view value) {
    key(name);
    string(value);
}

void JsonOut::field_number(std::string_view name, double value) {
    key(name);
    number(value);
}

void JsonOut::field_uint(std::string_view name, uint64_t value) {
    key(name);
    uint(value);
}

void JsonOut::field_bool(std::string_view name, bool value) {
    key(name);
    boolean(value);
}

std::string JsonOut::take() {
    std::string document(impl_->buffer.GetString(), impl_->buffer.GetSize());
    document += '\n';
    impl_ = std::make_unique<Impl>();
    impl_->writer.SetIndent(' ', 2);
    return document;
}

}  // namespace cguard::report::detail
