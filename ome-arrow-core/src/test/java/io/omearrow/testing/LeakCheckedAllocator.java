package io.omearrow.testing;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that hands each test a fresh {@link RootAllocator} parameter and closes it after
 * the test; Arrow's close throws (and so fails the test) when any buffer leaked.
 * Use as {@code @ExtendWith(LeakCheckedAllocator.class)} and declare a {@code BufferAllocator}
 * parameter.
 */
public final class LeakCheckedAllocator implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheckedAllocator.class);

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    return pc.getParameter().getType() == BufferAllocator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    return ec.getStore(NS).getOrComputeIfAbsent("allocator", k -> new RootAllocator(), BufferAllocator.class);
  }

  @Override
  public void afterEach(ExtensionContext ec) {
    BufferAllocator a = ec.getStore(NS).remove("allocator", BufferAllocator.class);
    if (a != null) {
      long leaked = a.getAllocatedMemory();
      String detail = leaked == 0 ? "" : a.toVerboseString();
      a.close();
      if (leaked != 0) {
        throw new AssertionError("Arrow allocator leaked " + leaked + " bytes:\n" + detail);
      }
    }
  }
}
