package dev.platoon.core.cli;

/**
 * One positional parameter of a command, e.g. {@code CONFIG}. Required ones come before optional ones,
 * so the parser fills them in order.
 *
 * @param label       its name in the usage line and in error messages
 * @param required    whether leaving it out is a usage error
 * @param description a line for the help, or null to list it in the usage line only
 */
record ParamSpec(String label, boolean required, String description) {
}
