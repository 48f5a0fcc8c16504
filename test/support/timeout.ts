jest.setTimeout(Number(process.env.SIDEKICK_TEST_TIMEOUT ?? 90000));
