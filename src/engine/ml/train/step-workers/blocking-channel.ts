/**
 * A one-way channel whose receiving thread can block until a message arrives, which lets a
 * step worker wait for the cached feature and logit gradients inside its gradient tape
 * (tfjs computes a forward and its backward in one synchronous call, so the tape of step 1
 * can only be reused in step 3 if the worker does not return in between).
 *
 * The sender posts on a MessagePort, then bumps a shared counter and wakes the receiver;
 * the receiver reads the counter before looking at the port, so a message posted between
 * its look and its wait wakes it at once instead of being missed.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads'

/** The receiving end, sent to a worker thread (the port in a transfer list). */
export interface BlockingReceiverEnd {
  port: MessagePort
  signal: SharedArrayBuffer
}

/** The sending end, kept by the thread that posts. */
export class BlockingSender<T> {
  private readonly channel = new MessageChannel()
  private readonly signal = new SharedArrayBuffer(4)
  private readonly counter = new Int32Array(this.signal)

  /** The end to give the receiving thread; transfer `port`. */
  get receiverEnd(): BlockingReceiverEnd {
    return { port: this.channel.port2, signal: this.signal }
  }

  /** Posts `message` and wakes the receiver. */
  send(message: T, transfer: ArrayBuffer[] = []): void {
    this.channel.port1.postMessage(message, transfer)
    Atomics.add(this.counter, 0, 1)
    Atomics.notify(this.counter, 0)
  }

  /** Closes the channel. */
  close(): void {
    this.channel.port1.close()
  }
}

/** Blocks the calling thread until the next message on `end` arrives, and returns it. */
export function receiveBlocking<T>(end: BlockingReceiverEnd): T {
  const counter = new Int32Array(end.signal)
  for (;;) {
    const seen = Atomics.load(counter, 0)
    const received = receiveMessageOnPort(end.port)
    if (received) return received.message as T
    Atomics.wait(counter, 0, seen)
  }
}

/** Drops every message waiting on `end` without blocking. */
export function drainChannel(end: BlockingReceiverEnd): void {
  while (receiveMessageOnPort(end.port)) continue
}
