// A fixed set of worker threads that run the tasks of one parallel loop.
// Which worker runs which task varies from run to run, so callers make every
// task write only its own output (the trainer: one gradient buffer per
// sequence) and combine outputs in task order; results then do not depend on
// the number of threads.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rom {

class ThreadPool {
 public:
  // threads >= 1; the calling thread is one of them.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs task(i, worker) for i in [0, n) and returns when all are done;
  // worker in [0, size()) identifies the thread (for per-thread scratch).
  // Rethrows the first exception a task threw.
  void run(int n, const std::function<void(int task, int worker)>& task);

 private:
  void work(int worker);
  void drain(int worker);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_, done_;
  const std::function<void(int, int)>* task_ = nullptr;
  int n_tasks_ = 0;
  int next_task_ = 0;
  int busy_ = 0;
  long generation_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
};

}  // namespace rom
