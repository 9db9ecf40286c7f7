#pragma once

#include <memory>

namespace casectl {

/// A value kept on the heap, with a value's copies and comparisons; an empty box reads as `T{}`. For a part that
/// most objects leave empty and that would otherwise make every one of them large to move, copy and destroy (a
/// case's own rules: 1.6 kB in every face sheet, empty in almost all).
template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(T value) : m_value(std::make_unique<T>(std::move(value))) {}  // NOLINT: a box converts like its value
  Boxed(const Boxed& other) : m_value(other.m_value ? std::make_unique<T>(*other.m_value) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) {
      m_value = other.m_value ? std::make_unique<T>(*other.m_value) : nullptr;
    }
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  ~Boxed() = default;

  /// Whether the box holds a value of its own (else it reads as `T{}`).
  bool holds() const { return m_value != nullptr; }
  const T& operator*() const { return m_value ? *m_value : empty(); }
  const T* operator->() const { return &**this; }
  /// Empties the box.
  void reset() { m_value.reset(); }
  /// The value, to change (an empty box gets one first).
  T& edit() {
    if (!m_value) {
      m_value = std::make_unique<T>();
    }
    return *m_value;
  }
  bool operator==(const Boxed& other) const { return **this == *other; }

 private:
  std::unique_ptr<T> m_value;
  static const T& empty() {
    static const T none{};
    return none;
  }
};

}  // namespace casectl
