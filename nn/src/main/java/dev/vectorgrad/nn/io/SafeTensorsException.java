package dev.vectorgrad.nn.io;

import java.io.IOException;

/**
 * A safetensors file that cannot be read: the one exception type {@link SafeTensors#read} throws for
 * what a file holds, however malformed. It is a checked {@link IOException}; its message names the file
 * and the fault ({@code model.safetensors: header at character 57: tensor fc.weight has a dimension of -1}).
 *
 * <pre>{@code
 * try { SafeTensors.read(file); } catch (SafeTensorsException e) { System.err.println(e.getMessage()); }
 * }</pre>
 */
public final class SafeTensorsException extends IOException {

    public SafeTensorsException(String message) {
        super(message);
    }
}
