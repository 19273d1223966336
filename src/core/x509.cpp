#include "coopchain/core/x509.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>
#include <optional>
#include <span>

#include "coopchain/core/hash.h"

namespace coopchain {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

Result<PemPair> to_pem(X509* cert, EVP_PKEY* key) {
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!cert_bio || !key_bio || PEM_write_bio_X509(cert_bio.get(), cert) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Status::Internal("cannot write PEM");
  }
  return PemPair{bio_text(cert_bio.get()), bio_text(key_bio.get())};
}

X509Ptr read_certificate(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

PkeyPtr read_key(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A certificate with a random serial, the subject's key and name, valid from now for `days`.
X509Ptr new_certificate(EVP_PKEY* subject_key, std::string_view common_name, int days) {
  X509Ptr cert(X509_new());
  if (!cert) return nullptr;
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return nullptr;
  serial[0] &= 0x7F;  // a positive serial
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  const bool ok =
      bn != nullptr && X509_set_version(cert.get(), 2) == 1 &&
      BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr &&
      X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60) != nullptr &&
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), int64_t{days} * 24 * 3600) != nullptr &&
      X509_set_pubkey(cert.get(), subject_key) == 1 &&
      X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) == 1;
  BN_free(bn);
  return ok ? std::move(cert) : nullptr;
}

// The names a node certificate holds: the node id, and loopback for a node on this machine.
std::string node_names(std::string_view node_id) {
  return "DNS:" + std::string(node_id) + ",DNS:localhost,IP:127.0.0.1";
}

PkeyPtr new_p256_key() {
  return PkeyPtr(EVP_EC_gen("P-256"));
}

}  // namespace

Result<PemPair> make_certificate_authority(std::string_view common_name, int days) {
  PkeyPtr key = new_p256_key();
  if (!key) return Status::Internal("cannot generate a P-256 key");
  X509Ptr cert = new_certificate(key.get(), common_name, days);
  if (!cert || X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1 ||
      !add_extension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !add_extension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !add_extension(cert.get(), cert.get(), NID_subject_key_identifier, "hash") ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return Status::Internal("cannot make the CA certificate");
  }
  return to_pem(cert.get(), key.get());
}

Result<PemPair> issue_node_certificate(const PemPair& ca, std::string_view node_id, int days) {
  X509Ptr ca_cert = read_certificate(ca.certificate);
  PkeyPtr ca_key = read_key(ca.private_key);
  if (!ca_cert || !ca_key)
    return Status::InvalidArgument("the CA certificate or key is unreadable");
  PkeyPtr key = new_p256_key();
  if (!key) return Status::Internal("cannot generate a P-256 key");
  X509Ptr cert = new_certificate(key.get(), node_id, days);
  const std::string san = node_names(node_id);
  if (!cert || X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1 ||
      !add_extension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(cert.get(), ca_cert.get(), NID_key_usage,
                     "critical,digitalSignature,keyAgreement") ||
      !add_extension(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth,clientAuth") ||
      !add_extension(cert.get(), ca_cert.get(), NID_subject_alt_name, san.c_str()) ||
      !add_extension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid") ||
      X509_sign(cert.get(), ca_key.get(), EVP_sha256()) == 0) {
    return Status::Internal("cannot issue the certificate of " + std::string(node_id));
  }
  return to_pem(cert.get(), key.get());
}

Result<PemPair> make_self_signed_node_certificate(std::string_view node_id, int days) {
  PkeyPtr key = new_p256_key();
  if (!key) return Status::Internal("cannot generate a P-256 key");
  X509Ptr cert = new_certificate(key.get(), node_id, days);
  const std::string san = node_names(node_id);
  // Its own issuer, and so its own trust anchor: a verifier given it as the only root accepts
  // exactly it (which OpenSSL allows only of a certificate that may sign certificates).
  if (!cert || X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1 ||
      !add_extension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !add_extension(cert.get(), cert.get(), NID_key_usage,
                     "critical,digitalSignature,keyAgreement,keyCertSign") ||
      !add_extension(cert.get(), cert.get(), NID_ext_key_usage, "serverAuth,clientAuth") ||
      !add_extension(cert.get(), cert.get(), NID_subject_alt_name, san.c_str()) ||
      !add_extension(cert.get(), cert.get(), NID_subject_key_identifier, "hash") ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return Status::Internal("cannot make the certificate of " + std::string(node_id));
  }
  return to_pem(cert.get(), key.get());
}

Result<std::string> certificate_public_key_pin(std::string_view certificate) {
  X509Ptr cert = read_certificate(certificate);
  if (!cert) return Status::InvalidArgument("unreadable certificate");
  unsigned char* der = nullptr;
  const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert.get()), &der);
  if (len <= 0) return Status::InvalidArgument("the certificate's public key does not encode");
  const Hash256 pin = sha256(std::span<const uint8_t>(der, static_cast<size_t>(len)));
  OPENSSL_free(der);
  return std::string(pin.begin(), pin.end());
}

Status verify_certificate(std::string_view ca_certificate, std::string_view certificate) {
  X509Ptr ca = read_certificate(ca_certificate);
  X509Ptr cert = read_certificate(certificate);
  if (!ca || !cert) return Status::InvalidArgument("unreadable certificate");
  std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>> store(X509_STORE_new());
  std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>> ctx(
      X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1) {
    return Status::Internal("cannot set up certificate verification");
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    return Status::InvalidArgument(
        std::string("certificate does not verify: ") +
        X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
  }
  return Status::Ok();
}

Result<std::string> certificate_common_name(std::string_view certificate) {
  X509Ptr cert = read_certificate(certificate);
  if (!cert) return Status::InvalidArgument("unreadable certificate");
  char buf[256];
  int len =
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, buf, sizeof buf);
  if (len < 0) return Status::InvalidArgument("the certificate has no common name");
  return std::string(buf, static_cast<size_t>(len));
}

Result<CertificateValidity> certificate_validity(std::string_view certificate) {
  X509Ptr cert = read_certificate(certificate);
  if (!cert) return Status::InvalidArgument("unreadable certificate");
  auto seconds = [](const ASN1_TIME* t) -> std::optional<int64_t> {
    tm parts{};
    if (t == nullptr || ASN1_TIME_to_tm(t, &parts) != 1) return std::nullopt;
    return static_cast<int64_t>(timegm(&parts));
  };
  const auto from = seconds(X509_get0_notBefore(cert.get()));
  const auto until = seconds(X509_get0_notAfter(cert.get()));
  if (!from || !until) return Status::InvalidArgument("the certificate's validity does not read");
  return CertificateValidity{*from, *until};
}

}  // namespace coopchain
