package dev.vectorgrad.examples;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The choices of a command-line option, by name, in the order given (as {@code --help} lists them). */
final class Registry {

    private Registry() {
    }

    @SafeVarargs
    static <T> Map<String, T> byName(Function<T, String> name, T... entries) {
        Map<String, T> m = new LinkedHashMap<>();
        for (T e : entries) {
            m.put(name.apply(e), e);
        }
        return Collections.unmodifiableMap(m);
    }
}
