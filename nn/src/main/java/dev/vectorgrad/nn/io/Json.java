package dev.vectorgrad.nn.io;

/**
 * A strict pull reader of JSON text (RFC 8259) for safetensors headers. The caller walks the structure
 * it expects, an object member by member and an array element by element, reading each value as the
 * kind it needs; anything else is a {@link SafeTensorsException} naming the character where it occurs.
 * Nothing is built that the caller does not keep, and no method recurses: nesting cannot exhaust the
 * stack (a value nested where the caller expects a number or a string is an error at its first
 * character), and the heap holds only the strings and numbers the caller asks for.
 *
 * <pre>{@code
 * Json json = new Json("{\"n\": [1, 2]}", "example");
 * json.begin('{'); json.more('}'); json.key(); json.begin('['); json.more(']'); json.wholeNumber();   // 1
 * }</pre>
 */
final class Json {

    private final String text;
    private final String source;
    private int at;
    /** Where the key or value read last starts: semantic errors about it point there. */
    private int mark;
    /** Whether the container just begun has had no element yet: its first element takes no comma. */
    private boolean first;

    /** A reader of {@code text}; errors start with {@code source} (e.g. the file and "header"). */
    Json(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /** Consumes the start of an object ({@code '{'}) or an array ({@code '['}). */
    void begin(char open) throws SafeTensorsException {
        skipSpace();
        mark = at;
        if (peek() != open) {
            throw error(open == '{' ? "expected an object" : "expected an array");
        }
        at++;
        first = true;
    }

    /**
     * Whether another element of the container begun last follows; when none does, consumes its
     * {@code close} ({@code '}'} or {@code ']'}). Between elements it consumes the comma.
     */
    boolean more(char close) throws SafeTensorsException {
        skipSpace();
        if (peek() == close) {
            at++;
            first = false;
            return false;
        }
        if (first) {
            first = false;
            return true;
        }
        if (peek() != ',') {
            throw error("expected ',' or '" + close + "'");
        }
        at++;
        return true;
    }

    /** A member's key and its colon. */
    String key() throws SafeTensorsException {
        skipSpace();
        if (peek() != '"') {
            throw error("expected a key");
        }
        String key = string();
        int keyStart = mark;
        skipSpace();
        if (peek() != ':') {
            throw error("expected ':'");
        }
        at++;
        mark = keyStart;
        return key;
    }

    /** A string value, its escapes resolved. */
    String string() throws SafeTensorsException {
        skipSpace();
        mark = at;
        if (peek() != '"') {
            throw error("expected a string");
        }
        int start = ++at;
        // Most strings have no escape: they are cut from the text as they are.
        while (at < text.length() && text.charAt(at) != '"' && text.charAt(at) != '\\' && text.charAt(at) >= 0x20) {
            at++;
        }
        if (peek() == '"') {
            return text.substring(start, at++);
        }
        StringBuilder b = new StringBuilder().append(text, start, at);
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw errorAt(at - 1, "control character in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(hex4());
                default -> throw errorAt(at - 1, "bad escape \\" + e);
            }
        }
    }

    private char hex4() throws SafeTensorsException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(next(), 16);
            if (d < 0) {
                throw errorAt(at - 1, "bad \\u escape");
            }
            v = v * 16 + d;
        }
        return (char) v;
    }

    /**
     * A number without fraction or exponent that fits a {@code long}; JSON's syntax (no leading zeros,
     * no plus sign) is enforced, and NaN or Infinity are not numbers in JSON.
     */
    long wholeNumber() throws SafeTensorsException {
        skipSpace();
        mark = at;
        boolean negative = peek() == '-';
        if (negative) {
            at++;
        }
        int digits = at;
        long v = 0;
        while (peek() >= '0' && peek() <= '9') {
            int d = text.charAt(at) - '0';
            // Accumulated negatively: Long.MIN_VALUE has no positive counterpart.
            if (v < (Long.MIN_VALUE + d) / 10) {
                throw errorAtMark("whole number out of the range of a long");
            }
            v = v * 10 - d;
            at++;
        }
        if (at == digits) {
            throw error("expected a whole number");
        }
        if (text.charAt(digits) == '0' && at - digits > 1) {
            throw errorAtMark("leading zero in a number");
        }
        char c = peek();
        if (c == '.' || c == 'e' || c == 'E') {
            throw error("expected a whole number, not a fraction or an exponent");
        }
        if (!negative && v == Long.MIN_VALUE) {
            throw errorAtMark("whole number out of the range of a long");
        }
        return negative ? v : -v;
    }

    /** Checks that only white space follows the value read last. */
    void end() throws SafeTensorsException {
        skipSpace();
        if (at != text.length()) {
            throw error("unexpected text after the value");
        }
    }

    /** The exception for {@code what} at the current character: a fault of syntax. */
    SafeTensorsException error(String what) {
        return errorAt(at, what);
    }

    /** The exception for {@code what} about the key or value read last, at its first character. */
    SafeTensorsException errorAtMark(String what) {
        return errorAt(mark, what);
    }

    /** Where the key or value read last starts (an object or array: its opening character). */
    int mark() {
        return mark;
    }

    SafeTensorsException errorAt(int position, String what) {
        return new SafeTensorsException(source + " at character " + position + ": " + what);
    }

    private void skipSpace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private char next() throws SafeTensorsException {
        if (at >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(at++);
    }
}
