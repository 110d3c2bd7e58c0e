"""Running an ASGI handler in a test, whatever event loop the worker has."""


def run_coroutine(coro):
    """Run `coro` to the end in a thread of its own: a test file run earlier on the same
    worker (Playwright's sync API) can leave an event loop running in the main thread, where
    asyncio.run() refuses to start another."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
