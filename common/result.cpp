#include "common/result.h"

namespace cguard {

const char* error_code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument: return "invalid_argument";
        case ErrorCode::NotFound: return "not_found";
        case ErrorCode::Io: return "io";
        case ErrorCode::Corrupt: return "corrupt";
        case ErrorCode::DigestMismatch: return "digest_mismatch";
        case ErrorCode::LimitExceeded: return "limit_exceeded";
        case ErrorCode::Unsupported: return "unsupported";
        case ErrorCode::Network: return "network";
        case ErrorCode::Database: return "database";
        case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

}  // namespace cguard
