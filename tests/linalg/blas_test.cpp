// The BLAS thread count is decided in one place (linalg/blas.h): one thread, the run's whole
// budget inside a WholeBudgetBlas, and one again inside a parallel_for task.
#include "aisle/linalg/blas.h"

#include <gtest/gtest.h>

#include <vector>

#include "aisle/core/parallel.h"

namespace aisle::linalg {
namespace {

TEST(Blas, OneThreadUnlessAWholeBudgetScopeRaisesIt) {
  EXPECT_EQ(blas_threads(), 1);
  const RunContext run(2);
  {
    const WholeBudgetBlas whole_budget(run);
    EXPECT_EQ(blas_threads(), 2);
    std::vector<double> a = {4, 1, 1, 3};  // SPD; the inverse is {3, -1, -1, 4} / 11
    ASSERT_TRUE(invert_spd(a.data(), 2));
    EXPECT_NEAR(a[0], 3.0 / 11, 1e-12);
    EXPECT_NEAR(a[1], -1.0 / 11, 1e-12);
    EXPECT_NEAR(a[2], -1.0 / 11, 1e-12);
  }
  EXPECT_EQ(blas_threads(), 1);
  {
    const WholeBudgetBlas serial(RunContext{});
    EXPECT_EQ(blas_threads(), 1);
  }
}

TEST(Blas, InsideAParallelTaskTheScopeKeepsOneThread) {
  const RunContext run(2);
  int raised = 0;
  parallel_for(run, 1, 1, [&](std::size_t, std::size_t, int) {
    const WholeBudgetBlas whole_budget(run);
    raised = blas_threads();
  });
  EXPECT_EQ(raised, 1);
  EXPECT_EQ(blas_threads(), 1);
}

}  // namespace
}  // namespace aisle::linalg
