package dev.unidler.idle;

import dev.unidler.operation.Step;

/** One step of an idle. */
interface IdleStep extends Step<IdleApp> {

}
