package dev.vectorgrad.nn;

/**
 * A bad input to a module, its message already prefixed with the module's place in its model and its
 * description (see {@link Module#where()}), so that containers pass it on unchanged.
 *
 * <pre>{@code
 * catch (ModuleInputException e) { e.getMessage(); }   // "Sequential[2] Linear(in=128, out=10): input of shape ..."
 * }</pre>
 */
public final class ModuleInputException extends IllegalArgumentException {

    ModuleInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
