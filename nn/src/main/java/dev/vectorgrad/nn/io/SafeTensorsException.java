package dev.vectorgrad.nn.io;

import java.io.IOException;

/** A safetensors file that cannot be read: the one exception type the reader throws for bad content. */
public final class SafeTensorsException extends IOException {

    public SafeTensorsException(String message) {
        super(message);
    }
}
