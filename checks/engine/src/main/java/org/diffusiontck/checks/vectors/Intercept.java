package org.diffusiontck.checks.vectors;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.LoopRequest;
import org.diffusiontck.checks.impl.Model;
import org.diffusiontck.checks.impl.Request;

/**
 * An implementation seen through a handler: every request and loop operation passes through it on
 * its way to the implementation (to record it), and the declaration may be replaced (to select other tolerances).
 */
public final class Intercept {
  /** Sees each request; {@code proceed} sends it on and returns the answer. */
  @FunctionalInterface
  public interface Handler {
    Object handle(Request<?> request, Supplier<Object> proceed);

    /** Sees each loop operation with the model it is served; by default only sends it on. */
    default Object loop(LoopRequest request, Model model, Supplier<Object> proceed) {
      return proceed.get();
    }
  }

  private Intercept() {}

  /** {@code impl} declaring {@code declaration}, each request passing through {@code handler}. */
  public static DiffusionImplementation of(
      DiffusionImplementation impl, Declaration declaration, Handler handler) {
    return (DiffusionImplementation) Proxy.newProxyInstance(
        DiffusionImplementation.class.getClassLoader(),
        new Class<?>[] {DiffusionImplementation.class}, (proxy, method, args) -> {
          if (method.getName().equals("declaration") && method.getParameterCount() == 0) {
            return declaration;
          }
          if (args != null && args.length == 1 && args[0] instanceof Request<?> r) {
            return handler.handle(r, () -> invoke(method, impl, args));
          }
          if (args != null && args.length == 2 && args[0] instanceof LoopRequest r
              && args[1] instanceof Model model) {
            return handler.loop(r, model, () -> invoke(method, impl, args));
          }
          return invoke(method, impl, args);
        });
  }

  /** {@code impl} declaring {@code declaration} instead of its own. */
  public static DiffusionImplementation redeclared(
      DiffusionImplementation impl, Declaration declaration) {
    return of(impl, declaration, (r, proceed) -> proceed.get());
  }

  private static Object invoke(Method method, Object target, Object[] args) {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
